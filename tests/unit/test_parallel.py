"""BatchMapper: batches mapped on a real worker pool, in order, the next one handed out ahead."""

from __future__ import annotations

import os
from collections.abc import Iterator

from ingest.parallel import BatchMapper, start_worker_server


def _square(value: int, *, offset: int = 0) -> int:
    return value * value + offset


def test_batches_come_back_in_order_with_the_next_already_drawn() -> None:
    drawn: list[int] = []

    def batches() -> Iterator[list[int]]:
        for start in (0, 40, 80, 120):
            drawn.append(start)
            yield list(range(start, start + (40 if start < 120 else 3)))  # and a small last one

    seen = []
    with BatchMapper(workers=2) as mapper:
        for batch, results in mapper.map_batches(_square, batches(), offset=1):
            assert results == [value * value + 1 for value in batch]
            seen.append(batch[0])
            # While the caller holds one batch, the next has been drawn and handed to the workers.
            assert drawn[-1] == min(batch[0] + 40, 120)
    assert seen == [0, 40, 80, 120]


def test_no_batches_nothing_yielded() -> None:
    with BatchMapper(workers=2) as mapper:
        assert list(mapper.map_batches(_square, iter([]))) == []


def _pid(_: int) -> int:
    return os.getpid()


def test_once_the_server_runs_a_small_batch_goes_to_the_workers() -> None:
    start_worker_server()
    with BatchMapper(workers=2) as mapper:
        ((_, pids),) = mapper.map_batches(_pid, [[1, 2, 3]])
    assert os.getpid() not in pids
