"""URL identity: canonical form, stable ids and the outlet a URL belongs to.

Two spellings of one article (``HTTP://Example.com:80/a?utm_source=x#top`` and
``http://example.com/a``) must get one id, or a re-run and a syndication check
would count the same page twice.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tldextract

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "hsa_", "oly_")
_TRACKING_KEYS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mkt_tok",
        "_ga",
        "_gl",
        "ncid",
        "ocid",
        "cmpid",
        "ito",
        "at_medium",
        "at_campaign",
        "guccounter",
        "share",
        "ref",
        "ref_src",
        "smid",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}

# The bundled public-suffix snapshot: no network access at run time.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in _TRACKING_KEYS or lowered.startswith(_TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Return the canonical spelling of an http(s) URL used for identity and dedup.

    Lower-cases scheme and host, drops default ports, fragments, tracking parameters and
    empty queries, sorts the remaining query, and gives an empty path a ``/``.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return url.strip()
    host_part = f"[{host}]" if ":" in host else host
    port = parts.port
    netloc = host_part if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host_part}:{port}"
    path = parts.path or "/"
    query_pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(sorted(query_pairs), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def url_id(url: str) -> str:
    """Stable id of a URL: SHA-256 of its canonical form, as Media Cloud does."""
    return hashlib.sha256(canonicalize_url(url).encode("utf-8")).hexdigest()


@lru_cache(maxsize=65536)
def outlet_of(url: str) -> str:
    """The registered domain of a URL (``www.themoscowtimes.com`` -> ``themoscowtimes.com``)."""
    parts = _extract(url)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}".lower()
    return (urlsplit(url).hostname or "").lower()
