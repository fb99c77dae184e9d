"""What the site calls itself, so titles and bylines can be told apart from it.

Titles carry the outlet as decoration (" | CBC News") and some pages put the outlet in
the author field; both are recognised by resemblance to these names, not by a list of
known sites.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.extract.metadata import PageMetadata, clean_text
from ingest.urls import outlet_of

_NON_WORD = re.compile(r"[\W_]+")
_MIN_KEY = 3


def site_names(page: PageMetadata, url: str) -> tuple[str, ...]:
    """og:site_name, application-name, JSON-LD publisher/website names and the domain."""
    names = [page.first_meta("og:site_name"), page.first_meta("application-name")]
    for obj in page.objects_of_type("WebSite", "Organization", "NewsMediaOrganization"):
        names.append(obj.get("name") if isinstance(obj.get("name"), str) else None)
    for obj in page.article_objects():
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
    if outlet := outlet_of(url):
        names.extend([outlet, outlet.split(".")[0]])
    return tuple(dict.fromkeys(clean_text(n) for n in names if n and n.strip()))


def name_key(text: str) -> str:
    """Case-, accent- and punctuation-free form used to compare names."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _NON_WORD.sub("", "".join(c for c in folded if not unicodedata.combining(c)))


def resembles_site(text: str, names: tuple[str, ...]) -> bool:
    """True when ``text`` is the site's name, starts or ends with it, or is most of it.

    "CBC News" resembles "CBC", "Globalnews.ca" resembles "globalnews", "Mail Online"
    resembles "Daily Mail Online"; "News" does not resemble "Global News".
    """
    key = name_key(text)
    if len(key) < _MIN_KEY:
        return False
    for name in names:
        other = name_key(name)
        if len(other) < _MIN_KEY:
            continue
        if key.startswith(other) or key.endswith(other):
            return True
        if (other.startswith(key) or other.endswith(key)) and 2 * len(key) >= len(other):
            return True
    return False
