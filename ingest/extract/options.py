"""Knobs of the extraction step, passed explicitly so a run's settings are visible."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractOptions:
    """Thresholds for what counts as an article and how text is extracted."""

    reject_live_blogs: bool = False  # live blogs are coverage too; they are kept and marked page_kind=live_blog
    min_body_words: int = 50  # below this the page is a stub, not an article
    favor_precision: bool = False  # trafilatura precision mode; our own filters already remove furniture
    include_tables: bool = True
    paywall_max_words: int = 150  # a paywalled page with less text than this is a teaser
    index_min_headline_links: int = 25  # headline-like links that make a page look like a section front
    index_max_prose_per_link: float = 12.0  # body words per headline link below which it is a link list
    language_override_min_chars: int = 200  # text needed before detection may overrule the page's lang
    language_override_min_confidence: float = 0.95


DEFAULT = ExtractOptions()
