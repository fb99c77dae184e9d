"""Article language as an ISO 639-1 code.

Templates often declare a default (``lang="en-US"`` on an isiZulu site), so the declared
language stands unless the identifier is confident about enough text to say otherwise.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from ingest.extract.metadata import PageMetadata

logger = logging.getLogger(__name__)

_PRIMARY = re.compile(r"^([a-z]{2})(?:[-_].*)?$")
_SAMPLE_CHARS = 5000


@lru_cache(maxsize=1)
def identifier() -> LanguageIdentifier:
    """The language model, loaded once per process (~0.8 s: it is stored compressed)."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def declared_language(page: PageMetadata) -> str | None:
    """Primary ISO 639-1 subtag from ``<html lang>``, og:locale, JSON-LD or Content-Language."""
    candidates = [page.html_lang, page.first_meta("og:locale"), page.first_meta("content-language")]
    candidates += [obj.get("inLanguage") for obj in page.article_objects()]
    for value in candidates:
        if isinstance(value, str) and (match := _PRIMARY.match(value.strip().lower())):
            return match.group(1)
    return None


def detect_language(page: PageMetadata, text: str, min_chars: int, min_confidence: float) -> str | None:
    """The declared language, overruled by a confident identification of the text."""
    declared = declared_language(page)
    if not text.strip():
        return declared
    detected, confidence = identifier().classify(text[:_SAMPLE_CHARS])
    if declared is None or detected == declared:
        return detected
    if len(text) >= min_chars and confidence >= min_confidence:
        logger.debug("declared language %s overruled by detected %s (%.2f)", declared, detected, confidence)
        return detected
    return declared
