"""Fetching pages safely and politely: one httpx client, explicit options, records out.

``fetch_all`` / ``fetch_many`` turn ``Candidate`` records into ``FetchedPage`` or
``FetchFailure`` records; ``Fetcher`` is the client underneath, reused by feed discovery.
"""

from .client import Fetcher, Response
from .errors import FetchError
from .mime import parse_content_type
from .options import FetchOptions
from .runner import fetch_all, fetch_many, get_once, iterate_in_background

__all__ = [
    "FetchError",
    "FetchOptions",
    "Fetcher",
    "Response",
    "fetch_all",
    "fetch_many",
    "get_once",
    "iterate_in_background",
    "parse_content_type",
]
