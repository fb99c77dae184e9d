"""`make bench-fetch`, part 2: peak memory while streaming a large WARC (issue 3), at two sizes.

Writes gzipped WARCs of the bench corpus's realistic records (``bench.corpus``: real pages,
2 % on topic, 1 % near misses, the rest off topic) into a temporary folder (default /tmp),
then reads each in a fresh child process that consumes every item without keeping it:

* ``local``: ``discover_warc`` on the file (the single-stream reader);
* ``remote``: ``discover_warc_url`` on the file served over loopback HTTP, the code CC-NEWS uses;
* ``sharded``: ``discover_warc_files`` with 2 workers, what a local ``warc`` source runs.

All with the keyword pre-filter, as sources use it. The child's peak RSS is its VmHWM (the
kernel's high-water mark of its own address space, read at the end); its ru_maxrss (from
``os.wait4``, what ``RUSAGE_CHILDREN`` reports) is kept too but cannot fall below this parent's
RSS at spawn, since Linux carries the pre-exec image's peak into it. The sharded run's
whole-tree peak (PSS: forked workers share pages) is sampled from /proc by ``bench.memory``.
Flat means the peak at 1 GB is the peak at 100 MB.
Written to ``bench/results/fetch.json`` (section ``warc_memory``); the WARCs are deleted.

    python -m bench.warc_memory [--sizes-mb 100 1000] [--modes local remote sharded] [--dir /tmp]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.corpus import CorpusSpec, build_record, write_warc
from bench.fetch_throughput import save_section
from bench.memory import PeakTreeMemory

MODES = ("local", "remote", "sharded")
_SAMPLE_RECORDS = 400


def _status_kb(field: str) -> int:
    """A ``kB`` field of /proc/self/status (``VmRSS``, ``VmHWM``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def consume(mode: str, source: str) -> dict[str, Any]:
    """Child side: read every item of ``source`` and drop it; counts, seconds and RSS before reading."""
    from ingest.discover import Prefilter, discover_warc, discover_warc_files, discover_warc_url
    from ingest.fetch import FetchOptions
    from ingest.records import ArchiveTally, Candidate

    options = FetchOptions(allow_private_addresses=True)
    before = _status_kb("VmRSS")
    start = time.perf_counter()
    if mode == "local":
        items = discover_warc(Path(source), "bench", options, Prefilter())
    elif mode == "remote":
        items = discover_warc_url(source, "bench", options, Prefilter())
    else:
        items = discover_warc_files(Path(source), "bench", options, True, workers=2)
    records = pages = others = 0
    for item in items:
        if isinstance(item, ArchiveTally):
            records += item.records_seen
        elif isinstance(item, Candidate):
            pages += 1
        else:
            others += 1
    return {"records": records, "pages_kept": pages, "other_items": others,
            "seconds": time.perf_counter() - start, "rss_before_read_kb": before, "peak_rss_kb": _status_kb("VmHWM")}


def build_warc(path: Path, target_bytes: int) -> int:
    """Write about ``target_bytes`` of corpus records to ``path``; the number of records.

    Record sizes vary a hundredfold by page, so the count is estimated twice from records
    spread over the range: first the first thousand, then the estimated range.
    """
    spec = CorpusSpec()
    count = 1000
    for _ in range(2):
        sample = range(0, count, max(1, count // _SAMPLE_RECORDS))
        count = max(1, round(target_bytes * len(sample) / sum(len(build_record(spec, i)) for i in sample)))
    write_warc(path, CorpusSpec(records=count), 0, count)
    return count


def measure(mode: str, source: str, size_bytes: int) -> dict[str, Any]:
    """Run ``consume`` in a fresh child; its figures plus its peak RSS (and the tree's when sharded)."""
    child = subprocess.Popen([sys.executable, "-m", "bench.warc_memory", "--child", mode, source],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    tree = PeakTreeMemory(child.pid) if mode == "sharded" else None
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    tree_peak = tree.stop() if tree else None
    if child.returncode != 0:
        raise RuntimeError(f"{mode} reader failed with exit code {child.returncode}")
    result = json.loads(out)
    result.update(mode=mode, size_mb=round(size_bytes / 1e6), peak_rss_mb=round(result.pop("peak_rss_kb") / 1024, 1),
                  ru_maxrss_mb=round(usage.ru_maxrss / 1024, 1), parent_rss_mb=round(_status_kb("VmRSS") / 1024, 1),
                  rss_before_read_mb=round(result.pop("rss_before_read_kb") / 1024, 1),
                  records_per_s=round(result["records"] / result["seconds"]),
                  mb_per_s=round(size_bytes / 1e6 / result["seconds"], 1), seconds=round(result["seconds"], 1))
    if tree_peak is not None:
        result["tree_peak_pss_mb"] = round(tree_peak / 1024, 1)
    return result


def serve_folder(folder: Path) -> ThreadingHTTPServer:
    """A loopback HTTP server for ``folder`` (with Content-Length), in a thread."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mb", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()), help="where the WARCs are written")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(consume(*args.child)))
        return

    needed = sum(args.sizes_mb) * 1_000_000 * 1.1
    free = shutil.disk_usage(args.dir).free
    if free < needed + 2e9:
        raise SystemExit(f"{args.dir} has {free / 1e9:.1f} GB free; {needed / 1e9:.1f} GB + 2 GB margin needed: "
                         "pass smaller --sizes-mb or another --dir")
    folder = Path(tempfile.mkdtemp(prefix="nkwatch-warc-bench-", dir=args.dir))
    server = serve_folder(folder)
    rows: list[dict[str, Any]] = []
    try:
        for size_mb in sorted(args.sizes_mb):
            path = folder / f"bench-{size_mb}mb.warc.gz"
            started = time.perf_counter()
            count = build_warc(path, size_mb * 1_000_000)
            size = path.stat().st_size
            print(f"wrote {path} ({size / 1e6:.0f} MB, {count} records) in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
            for mode in args.modes:
                source = f"http://127.0.0.1:{server.server_address[1]}/{path.name}" if mode == "remote" else str(path)
                rows.append(measure(mode, source, size))
                print(f"  {mode}: {rows[-1]}", file=sys.stderr)
            path.unlink()
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)

    save_section("warc_memory", {"nproc": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2),
                                 "runs": rows})
    print(f"\nWARC streaming memory ({os.cpu_count()} cores; peak RSS of the reading process)")
    print(f"{'path':<9}{'size MB':>8}{'records':>9}{'rec/s':>8}{'MB/s':>7}{'RSS before':>12}{'peak RSS':>10}"
          f"{'tree PSS':>11}")
    for row in rows:
        tree = f"{row['tree_peak_pss_mb']:.0f} MB" if "tree_peak_pss_mb" in row else "-"
        print(f"{row['mode']:<9}{row['size_mb']:>8}{row['records']:>9}{row['records_per_s']:>8}{row['mb_per_s']:>7}"
              f"{row['rss_before_read_mb']:>9.0f} MB{row['peak_rss_mb']:>7.0f} MB{tree:>11}")


if __name__ == "__main__":
    main()
