"""The keyword pre-filter: its batch form agrees with the page-by-page one, and batching loses nothing."""

from __future__ import annotations

import io

from ingest.discover import Prefilter, discover_warc
from ingest.discover.warc import read_warc
from ingest.fetch import FetchOptions
from ingest.records import ArchiveTally, Candidate, FetchFailure
from tests.support.warcs import Record, build_warc

FILLER = b"<script>var x = 'core loop';</script>" * 3000  # pushes a late <title> out of the head window


def _page(title: str, body: str = "", encoding: str = "utf-8") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode(encoding)


PAGES: list[tuple[bytes, str | None]] = [
    (_page("North KOREA fires missiles"), None),
    (_page("Oil prices rise", "Brent crude gained"), None),
    (_page("Kim Jong Un visits a factory"), "utf-8"),
    (_page("Новости", "КНДР направила войска"), None),  # upper-case Cyrillic term
    (_page("Новости", "Пхеньян заявил"), None),  # capitalised
    (_page("Новости", "погода в Москве"), None),
    (_page("북한군 러시아 파병"), "euc-kr"),  # declared, not UTF-8
    (_page("북한군 러시아 파병", encoding="euc-kr"), "euc-kr"),
    (_page("平壤发布消息"), None),
    (_page("La Corée du Nord"), None),
    (_page("LA CORÉE DU NORD"), None),  # non-ASCII capitals are not folded, page by page or batched
    (_page("Sports", "Pyongyang"), "utf-16"),
    (_page("Sports", "Pyongyang", encoding="utf-16"), "utf-16"),
    (_page("Новости", "Корея", encoding="cp1251"), "windows-1251"),
    (b"<html><head>" + FILLER + b"<title>Seoul says DPRK troops</title>", None),
    (b"<html><head>" + FILLER + b"<title>Weather</title>", None),
    (b"", None),
    (b"\xff\xfe\xfa broken utf-8 kcna", None),
]


def test_batch_agrees_with_one_by_one() -> None:
    prefilter = Prefilter()
    one_by_one = [prefilter.may_match(payload, charset) for payload, charset in PAGES]
    assert prefilter.may_match_many(PAGES) == one_by_one
    assert prefilter.may_match_many(PAGES[::-1]) == one_by_one[::-1]
    assert prefilter.may_match_many([]) == []
    # The cases above are not all one answer: both outcomes are exercised.
    assert one_by_one[:6] == [True, False, True, True, True, False]
    assert one_by_one[-4:] == [True, False, False, True]


def test_terms_without_ascii_or_without_non_ascii_spellings() -> None:
    assert Prefilter(["북한"]).may_match_many([(_page("북한"), None), (_page("korea"), None)]) == [True, False]
    assert Prefilter(["kcna"]).may_match_many([(_page("KCNA"), None), (_page("북한"), None)]) == [True, False]


def test_batches_keep_order_tallies_and_what_precedes_a_cut(tmp_path) -> None:
    titles = [("North Korea news" if i % 3 == 0 else "Oil prices") for i in range(100)]
    records = [Record(f"https://x.example/{i}", _page(title)) for i, title in enumerate(titles)]
    records.insert(50, Record("https://x.example/gone-korea", _page("North Korea"), status="404 Not Found"))
    warc = build_warc(records)
    path = tmp_path / "a.warc.gz"
    path.write_bytes(warc)

    items = list(discover_warc(path, "s", FetchOptions(), Prefilter()))
    kept = [item.url for item in items if isinstance(item, Candidate)]
    assert kept == [f"https://x.example/{i}" for i in range(100) if i % 3 == 0]
    (failure,) = [item for item in items if isinstance(item, FetchFailure)]
    assert (failure.url, failure.reason) == ("https://x.example/gone-korea", "http_status: 404")
    (tally,) = [item for item in items if isinstance(item, ArchiveTally)]
    assert (tally.records_seen, tally.records_prefiltered, tally.complete) == (101, 66, True)

    cut = list(read_warc(io.BufferedReader(io.BytesIO(warc[: len(warc) * 2 // 3])), "cut", "s", FetchOptions(),
                         Prefilter()))
    cut_kept = [item.url for item in cut if isinstance(item, Candidate)]
    assert cut_kept == kept[: len(cut_kept)] and len(cut_kept) > 20  # all read before the cut, in order
    assert [type(item).__name__ for item in cut[-2:]] == ["FetchFailure", "ArchiveTally"]
    assert cut[-2].reason.startswith("corrupt_warc: ") and cut[-1].complete is False
