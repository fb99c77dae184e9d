"""The one failure the extraction step reports: the page is not an article we can use."""

from __future__ import annotations


class NotAnArticle(Exception):
    """Raised with a short machine-friendly ``reason`` code and a human ``detail``.

    Codes: ``not_html``, ``unparseable``, ``empty_body``, ``index_page``, ``live_blog``,
    ``paywall_stub``.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
