"""Plain records passed between the pipeline stages.

Each stage of ``ingest`` (discover, fetch, extract, analyse, load) takes and returns these
small immutable records, so a stage can be called and tested alone and the loader can turn
a batch of them into one Arrow table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    """A URL a source pointed us to, before anything is fetched.

    ``archived`` holds the response when the source already carries it (a WARC record),
    so such candidates skip the network.
    """

    source_name: str
    url: str
    discovered_at: datetime
    hint_title: str | None = None
    hint_published: datetime | None = None
    archived: "FetchedPage | None" = None


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A successful HTTP response (live or archived) whose body we may parse."""

    source_name: str
    url: str
    final_url: str
    fetched_at: datetime
    http_status: int
    content_type: str
    body: bytes
    charset: str | None = None


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """One attempt that produced no usable page, with the stage and a readable reason."""

    source_name: str
    url: str
    stage: str  # discover | fetch | extract
    reason: str
    attempted_at: datetime
    http_status: int | None = None


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """Main text and metadata of one news article page."""

    url: str  # canonical URL (the page's own canonical link wins)
    outlet: str  # registered domain, e.g. themoscowtimes.com
    title: str | None
    authors: tuple[str, ...]
    published_at: datetime | None  # timezone-aware when the page says so
    published_date: date | None
    language: str | None
    text: str
    site_name: str | None = None
    description: str | None = None
    page_kind: str = "article"  # article | live_blog (whose text is all its updates)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number stated in a claim, with the words that say what it counts."""

    value: float
    unit: str
    surface: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in an article's text."""

    surface: str  # as written
    name: str  # canonical name
    type: str  # PERSON | ORG | GPE | LOC
    sentence_index: int
    start: int  # character offsets in the article text
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    """One (speaker, proposition) pair stated in one sentence."""

    sentence_index: int
    sentence: str  # verbatim evidence sentence
    cue: str
    polarity: str  # affirm | deny
    certainty: str  # certain | probable | possible
    speaker: str | None = None  # canonical name, None when unattributed
    speaker_surface: str | None = None
    speaker_type: str | None = None
    quote: str | None = None
    cited_source: str | None = None
    quantities: tuple[Quantity, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """What the NLP stage found in one article."""

    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class ArchiveTally:
    """How many http response records of one archive, dated one day, were read and pre-filtered away.

    Pre-filtered records leave no other trace, so these counts are what tells an analyst how
    much was seen on a day. ``complete`` is false when the archive could not be read to its end.
    """

    source_name: str
    archive: str  # path or URL of the WARC file
    day: date
    records_seen: int
    records_prefiltered: int
    complete: bool
