"""Discovery: turn a source (URL list, feed, web archive) into a stream of Candidates.

Each function yields ``Candidate`` records and, for problems a run should record rather
than crash on, ``FetchFailure`` records; all stream their input.
"""

from .feed import FeedState, discover_feed
from .urls_file import discover_urls_file
from .warc import discover_warc

__all__ = ["FeedState", "discover_feed", "discover_urls_file", "discover_warc"]
