"""`make bench-fetch`, part 1: live fetch throughput next to its ideal (issue 3).

A loopback HTTP/1.1 server in its own process answers every page after an injected latency
(100 ms); ``fetch_many`` fetches 1,000 distinct ~10 KB pages at concurrency 50 with a high
per-host limit and no per-host delay. The ideal is concurrency / latency (500 pages/s). A
bare asyncio client (raw sockets, no parsing, same concurrency) runs against the same server
first, to show the server is not the bottleneck. Each figure is repeated; best and median
are printed and written to ``bench/results/fetch.json`` (section ``throughput``).

    python -m bench.fetch_throughput [--pages N] [--concurrency C] [--latency S] [--repeats R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ingest.fetch import FetchOptions, fetch_many
from ingest.records import Candidate, FetchedPage

RESULTS_FILE = Path(__file__).resolve().parent / "results" / "fetch.json"
PAGE_BYTES = 10 * 1024
_ROBOTS = b"User-agent: *\nAllow: /\n"
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def page_body(path: str, size: int = PAGE_BYTES) -> bytes:
    """A ~``size``-byte HTML article page, distinct per path."""
    head = (f"<!doctype html><html><head><meta charset='utf-8'><title>Page {path}</title></head>"
            f"<body><article><h1>Page {path}</h1>").encode()
    paragraph = b"<p>Officials said the talks would resume next week, according to people familiar with it.</p>\n"
    tail = b"</article></body></html>\n"
    count = max(0, (size - len(head) - len(tail)) // len(paragraph))
    return head + paragraph * count + tail


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, latency: float) -> None:
    """Keep-alive HTTP/1.1: every GET answered after ``latency`` (robots.txt at once)."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode("ascii", "replace")
            if path == "/robots.txt":
                body, kind = _ROBOTS, b"text/plain"
            else:
                await asyncio.sleep(latency)
                body, kind = page_body(path), b"text/html; charset=utf-8"
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + kind + b"\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def serve(latency: float, port_out: Any) -> None:
    """Child process: serve on 127.0.0.1 until killed, sending the port back first."""
    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: _handle(r, w, latency), "127.0.0.1", 0, backlog=1024)
        port_out.send(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(main())


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


async def _raw_client(port: int, paths: list[str], concurrency: int) -> int:
    """Fetch ``paths`` over ``concurrency`` keep-alive sockets, reading bodies by Content-Length."""
    queue = iter(paths)
    done = 0

    async def worker() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for path in queue:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
            await reader.readexactly(length)
            done += 1
        writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done


def run_raw(port: int, pages: int, concurrency: int, round_no: int) -> tuple[int, float]:
    """Pages fetched and seconds taken by the bare asyncio client."""
    paths = [f"/raw/{round_no}/{i}" for i in range(pages)]
    start = time.perf_counter()
    done = asyncio.run(_raw_client(port, paths, concurrency))
    return done, time.perf_counter() - start


def bench_options(concurrency: int) -> FetchOptions:
    """The issue's settings: concurrency C, per-host limit as high, no delay, no retries, robots served."""
    return FetchOptions(allow_private_addresses=True, max_concurrency=concurrency, per_host_concurrency=concurrency,
                        per_host_delay=0, retries=0, respect_robots=True)


def run_fetch(port: int, pages: int, concurrency: int, round_no: int) -> tuple[int, float, float]:
    """Pages fetched (HTML, 200), seconds taken by ``fetch_many`` (client start-up included) and CPU seconds."""
    now = datetime.now(timezone.utc)
    candidates = [Candidate(source_name="bench", url=f"http://127.0.0.1:{port}/news/{round_no}/{i}", discovered_at=now)
                  for i in range(pages)]
    start, cpu = time.perf_counter(), time.process_time()
    ok = sum(isinstance(item, FetchedPage) for item in fetch_many(candidates, bench_options(concurrency)))
    return ok, time.perf_counter() - start, time.process_time() - cpu


def summarize(rates: list[float], ideal: float) -> dict[str, float]:
    best, median = max(rates), statistics.median(rates)
    return {"best_pages_per_s": round(best, 1), "median_pages_per_s": round(median, 1),
            "best_ratio": round(best / ideal, 3), "median_ratio": round(median / ideal, 3),
            "runs_pages_per_s": [round(r, 1) for r in rates]}


def save_section(name: str, data: dict[str, Any]) -> None:
    """Write ``data`` as section ``name`` of the results file, keeping the other sections."""
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    results[name] = data
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds before every page answer")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    ideal = args.concurrency / args.latency

    context = multiprocessing.get_context("spawn")
    port_in, port_out = context.Pipe(duplex=False)
    server = context.Process(target=serve, args=(args.latency, port_out), daemon=True)
    server.start()
    try:
        port = port_in.recv()
        raw_rates, fetch_rates, server_cpu, client_cpu = [], [], [], []
        for round_no in range(args.repeats):
            done, seconds = run_raw(port, args.pages, args.concurrency, round_no)
            assert done == args.pages, f"raw client fetched {done} of {args.pages}"
            raw_rates.append(done / seconds)
            cpu_before = cpu_seconds(server.pid)
            ok, seconds, cpu = run_fetch(port, args.pages, args.concurrency, round_no)
            server_cpu.append(cpu_seconds(server.pid) - cpu_before)
            client_cpu.append(cpu)
            assert ok == args.pages, f"fetch_many fetched {ok} of {args.pages}"
            fetch_rates.append(ok / seconds)
            print(f"round {round_no + 1}: raw client {raw_rates[-1]:6.1f} pages/s, "
                  f"fetch_many {fetch_rates[-1]:6.1f} pages/s", file=sys.stderr)
    finally:
        server.kill()
        server.join()

    result = {
        "pages": args.pages, "concurrency": args.concurrency, "latency_s": args.latency, "page_bytes": PAGE_BYTES,
        "repeats": args.repeats, "ideal_pages_per_s": ideal, "nproc": os.cpu_count(),
        "fetch_many": summarize(fetch_rates, ideal),
        "raw_asyncio_client": summarize(raw_rates, ideal),
        "server_cpu_s_per_fetch_run": round(statistics.median(server_cpu), 3),
        "fetch_many_cpu_ms_per_page": round(1000 * statistics.median(client_cpu) / args.pages, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),  # other work on the machine slows the client
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    save_section("throughput", result)
    print(f"\nfetch throughput: {args.pages} pages, concurrency {args.concurrency}, "
          f"{args.latency * 1000:.0f} ms latency, ideal {ideal:.0f} pages/s, {os.cpu_count()} cores, "
          f"{args.repeats} runs")
    print(f"{'client':<22}{'best p/s':>10}{'median p/s':>12}{'best/ideal':>12}{'median/ideal':>14}")
    for label, key in (("fetch_many", "fetch_many"), ("bare asyncio (server)", "raw_asyncio_client")):
        row = result[key]
        print(f"{label:<22}{row['best_pages_per_s']:>10.1f}{row['median_pages_per_s']:>12.1f}"
              f"{row['best_ratio']:>12.2f}{row['median_ratio']:>14.2f}")
    print(f"fetch_many CPU: {result['fetch_many_cpu_ms_per_page']} ms per page (median); server CPU per run: "
          f"{result['server_cpu_s_per_fetch_run']} s; written to {RESULTS_FILE}")


if __name__ == "__main__":
    main()
