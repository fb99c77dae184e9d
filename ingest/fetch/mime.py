"""Reading a Content-Type header, shared by live fetches and WARC records."""

from __future__ import annotations

from email.message import Message


def parse_content_type(header: str | None) -> tuple[str, str | None]:
    """Split ``text/html; charset=Windows-1251`` into ``("text/html", "windows-1251")``.

    The media type is lower-cased; an absent header gives ``("", None)``.
    """
    if not header:
        return "", None
    message = Message()
    message["content-type"] = header
    media_type = message.get_content_type() if "/" in header.split(";", 1)[0] else ""
    charset = message.get_param("charset")
    if isinstance(charset, tuple):  # RFC 2231 form
        charset = charset[2]
    charset = str(charset).strip().strip('"').lower() if charset else None
    return media_type.lower(), charset or None
