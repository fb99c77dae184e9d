"""Discovery: turn a source (URL list, feed, sitemap, GDELT query, web archive) into a stream of Candidates.

Each function yields ``Candidate`` records and, for problems a run should record rather
than crash on, ``FetchFailure`` records; archive readers also yield ``ArchiveTally`` counts.
All stream their input.
"""

from .ccnews import discover_ccnews
from .feed import FeedState, discover_feed
from .gdelt import discover_gdelt
from .prefilter import Prefilter
from .sitemap import discover_sitemap
from .urls_file import discover_urls_file
from .warc import discover_warc, discover_warc_url
from .warc_shards import ArchiveRead, discover_warc_files

__all__ = [
    "ArchiveRead",
    "FeedState",
    "Prefilter",
    "discover_ccnews",
    "discover_feed",
    "discover_gdelt",
    "discover_sitemap",
    "discover_urls_file",
    "discover_warc",
    "discover_warc_files",
    "discover_warc_url",
]
