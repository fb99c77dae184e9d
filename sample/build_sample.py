"""Rebuild ``sample/nkwatch_sample.warc.gz`` from the pages listed in ``pages/manifest.json``.

Usage::

    python sample/build_sample.py            # writes sample/nkwatch_sample.warc.gz
    python sample/build_sample.py -o x.warc.gz

The archive holds one ``warcinfo`` record followed by one ``response`` record per manifest
entry, in manifest order. Every value that would normally vary between runs is derived from
the manifest instead: record ids are UUID-5 of the URL, WARC-Date and the HTTP ``Date``
header come from ``fetched_at``, and warcio's gzip members carry no timestamp. Running the
script twice therefore yields byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SAMPLE_DIR = Path(__file__).resolve().parent
PAGES_DIR = SAMPLE_DIR / "pages"
MANIFEST = PAGES_DIR / "manifest.json"
DEFAULT_OUTPUT = SAMPLE_DIR / "nkwatch_sample.warc.gz"

WARC_VERSION = "WARC/1.0"
# Fixed namespace so record ids depend only on the URL, never on the run.
RECORD_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/nkwatch/sample")
KINDS = frozenset({"seed", "syndicated", "off_topic", "non_article", "non_html", "error"})


@dataclass(frozen=True, slots=True)
class Page:
    """One manifest entry: an archived HTTP response and what the sample expects of it."""

    file: str
    url: str
    fetched_at: datetime
    http_status: int
    content_type: str
    kind: str
    seed_id: str | None
    on_topic: bool | None

    @property
    def body(self) -> bytes:
        return (PAGES_DIR / self.file).read_bytes()


def _parse_utc(value: str) -> datetime:
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        raise ValueError(f"fetched_at must carry a timezone: {value!r}")
    return stamp.astimezone(timezone.utc)


def load_manifest(path: Path = MANIFEST) -> list[Page]:
    """Read and validate the manifest; raise ``ValueError`` on a malformed entry."""
    pages: list[Page] = []
    seen: set[str] = set()
    for entry in json.loads(path.read_text(encoding="utf-8")):
        page = Page(
            file=entry["file"],
            url=entry["url"],
            fetched_at=_parse_utc(entry["fetched_at"]),
            http_status=int(entry["http_status"]),
            content_type=entry["content_type"],
            kind=entry["kind"],
            seed_id=entry.get("seed_id"),
            on_topic=entry.get("on_topic"),
        )
        if page.kind not in KINDS:
            raise ValueError(f"{page.file}: unknown kind {page.kind!r}")
        if page.url in seen:
            raise ValueError(f"{page.file}: duplicate url {page.url}")
        if not (PAGES_DIR / page.file).is_file():
            raise ValueError(f"{page.file}: file missing from {PAGES_DIR}")
        seen.add(page.url)
        pages.append(page)
    return pages


def _warc_date(stamp: datetime) -> str:
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(RECORD_NAMESPACE, name)}>"


def _warcinfo(writer: WARCWriter, filename: str, date: datetime) -> None:
    fields = {
        "software": "nkwatch sample/build_sample.py (warcio)",
        "format": "WARC File Format 1.0",
        "description": "nkwatch embedded sample corpus: hand-written HTML pages around verbatim seed "
        "article text, plus off-topic, non-article, non-HTML and error records.",
        "isPartOf": "nkwatch-sample",
    }
    payload = "".join(f"{key}: {value}\r\n" for key, value in fields.items()).encode("utf-8")
    record = writer.create_warc_record(
        "",
        "warcinfo",
        payload=BytesIO(payload),
        length=len(payload),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Record-ID": _record_id(f"warcinfo:{filename}"),
            "WARC-Date": _warc_date(date),
            "WARC-Filename": filename,
        },
    )
    writer.write_record(record)


def _response(writer: WARCWriter, page: Page) -> None:
    body = page.body
    reason = HTTPStatus(page.http_status).phrase
    http_headers = StatusAndHeaders(
        f"{page.http_status} {reason}",
        [
            ("Date", format_datetime(page.fetched_at, usegmt=True)),
            ("Content-Type", page.content_type),
            ("Content-Length", str(len(body))),
        ],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        page.url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Record-ID": _record_id(page.url),
            "WARC-Date": _warc_date(page.fetched_at),
        },
    )
    writer.write_record(record)


def build(output: Path = DEFAULT_OUTPUT, manifest: Path = MANIFEST) -> int:
    """Write the WARC and return the number of response records."""
    pages = load_manifest(manifest)
    first_fetch = min(page.fetched_at for page in pages)
    with output.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version=WARC_VERSION)
        _warcinfo(writer, output.name, first_fetch)
        for page in pages:
            _response(writer, page)
    return len(pages)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="WARC file to write")
    args = parser.parse_args(argv)
    count = build(args.output)
    print(f"wrote {args.output} ({count} response records, {args.output.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
