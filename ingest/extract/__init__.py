"""Extraction step: decode an HTML response and pull out an article's text and metadata.

``ingest`` stays free of Dagster; the orchestration layer calls these functions.
"""

from ingest.extract.article import extract_article
from ingest.extract.charset import decode_html
from ingest.extract.errors import NotAnArticle
from ingest.extract.options import DEFAULT, ExtractOptions

__all__ = ["DEFAULT", "ExtractOptions", "NotAnArticle", "decode_html", "extract_article"]
