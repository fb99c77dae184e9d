"""The one exception type the fetch layer raises; callers turn it into a ``FetchFailure``."""

from __future__ import annotations


class FetchError(Exception):
    """A fetch that produced no usable response.

    ``reason`` starts with a short code (``timeout``, ``http_status``, ``blocked_address``...)
    so failures can be grouped in the warehouse, followed by ``: detail`` when there is one.
    ``retryable`` marks transient causes (connect errors, timeouts, 429, 5xx).
    """

    def __init__(self, reason: str, *, http_status: int | None = None, retryable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
        self.retryable = retryable
