"""Peak memory of a process tree, sampled from /proc (Linux): the run's workers count too.

``resource.getrusage(RUSAGE_CHILDREN)`` only knows the largest single descendant; a run with a
process pool holds several at once, so the benchmark also sums the tree's memory. It sums the
proportional set size (PSS): forked workers share their parent's pages, and adding up their
resident sets would count those pages once per worker.
"""

from __future__ import annotations

import threading
from pathlib import Path


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return kids


def _pss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _name(pid: int) -> str:
    """A process's program and first argument (``dbt build``, ``nkwatch run``), to say who holds memory."""
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    words = [Path(w.decode(errors="replace")).name for w in argv[:3] if w]
    return " ".join(words[1:] if words and words[0].startswith("python") else words)[:40]


def tree_pss_kb(pid: int) -> dict[str, int]:
    """Proportional set size of ``pid`` and all its descendants, in KiB, summed per process name."""
    sizes: dict[str, int] = {}
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            name = _name(current)
            sizes[name] = sizes.get(name, 0) + _pss_kb(current)
        except (OSError, IndexError, ValueError):
            continue
        stack.extend(_children(current))
    return sizes


class PeakTreeMemory:
    """Samples a process tree's PSS in a thread until stopped: ``peak_kb`` is the largest total,
    ``peak_by_name`` the largest sum per process name (the pool's workers share one name)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.peak_kb = 0
        self.peak_by_name: dict[str, int] = {}
        self._pid = pid
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(self._interval):
            sizes = tree_pss_kb(self._pid)
            self.peak_kb = max(self.peak_kb, sum(sizes.values()))
            for name, size in sizes.items():
                self.peak_by_name[name] = max(self.peak_by_name.get(name, 0), size)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kb
