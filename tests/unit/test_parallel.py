"""BatchMapper: batches mapped on a real worker pool, in order, the next one handed out ahead."""

from __future__ import annotations

from collections.abc import Iterator

from ingest.parallel import BatchMapper


def _square(value: int, *, offset: int = 0) -> int:
    return value * value + offset


def test_batches_come_back_in_order_with_the_next_already_drawn() -> None:
    drawn: list[int] = []

    def batches() -> Iterator[list[int]]:
        for start in (0, 40, 80, 120):
            drawn.append(start)
            yield list(range(start, start + (40 if start < 120 else 3)))  # the last one too small for the pool

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
