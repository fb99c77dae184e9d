"""Turn a response body into text: the declared charset is a hint, the bytes decide.

Servers and ``<meta>`` tags are often wrong (pages re-saved as UTF-8 keep a stale
``charset=GB2312``), so a declared charset is used only when the bytes decode with it
cleanly, and valid non-ASCII UTF-8 wins over any declaration: legacy multi-byte text
practically never forms valid UTF-8 by accident.
"""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

logger = logging.getLogger(__name__)

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096
# WHATWG: labels that browsers treat as their superset encoding.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
              "shift_jis": "cp932", "iso-8859-1": "cp1252", "us-ascii": "cp1252", "latin1": "cp1252"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, widened to its superset; None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    try:
        name = codecs.lookup(_SUPERSETS.get(label, label)).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _strict(body: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """Charsets the HTTP header and the page's own ``<meta>`` tags declare, in that order."""
    labels: list[str] = []
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        labels.append(match.group(1))
    labels.extend(m.decode("ascii", "ignore") for m in _META_CHARSET.findall(body[:_SNIFF_BYTES]))
    return [codec for codec in dict.fromkeys(map(_codec, labels)) if codec]


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode an HTML body: BOM, valid UTF-8, declared charsets, then charset-normalizer."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace")
    if not body.isascii() and (text := _strict(body, "utf-8")) is not None:
        return text
    for codec in declared_charsets(body, content_type):
        if (text := _strict(body, codec)) is not None:
            return text
        logger.debug("declared charset %s does not fit the bytes", codec)
    best = from_bytes(body).best()
    if best is not None:
        return str(best)
    return body.decode("utf-8", errors="replace")
