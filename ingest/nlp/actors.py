"""The actor alias table: who and what this story is about, and the names they go by.

One CSV row per actor (``canonical_name,type,aliases,wikidata_id``, aliases joined by
``|``) so the same file can be loaded as a dbt seed. A surface may name two actors: a
capital is both a city and, as a speaker, its government. Rows are listed countries
first, so the first row naming a surface is the government reading.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("data") / "actors.csv"
_SEPARATOR = re.compile(r"[-‐ ]+")


@dataclass(frozen=True, slots=True)
class Actor:
    """One row of the alias table."""

    name: str
    type: str  # PERSON | ORG | GPE | LOC
    aliases: tuple[str, ...]
    wikidata_id: str | None


def surface_key(surface: str) -> str:
    """Lookup key that ignores case and hyphen/space variation ("Kim Yong-Hyun")."""
    return _SEPARATOR.sub(" ", surface.strip()).casefold()


class ActorTable:
    """Alias lookup plus one compiled pattern that finds every alias in a text."""

    def __init__(self, actors: list[Actor]) -> None:
        self.actors = tuple(actors)
        self._by_key: dict[str, list[Actor]] = {}
        for actor in self.actors:
            for surface in (actor.name, *actor.aliases):
                bucket = self._by_key.setdefault(surface_key(surface), [])
                if actor not in bucket:
                    bucket.append(actor)
        surfaces = sorted(
            {s for a in self.actors for s in (a.name, *a.aliases)}, key=len, reverse=True
        )
        alternatives = "|".join(_alias_regex(s) for s in surfaces)
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")

    def candidates(self, surface: str) -> list[Actor]:
        """Every actor a surface may name, government reading first."""
        return self._by_key.get(surface_key(surface), [])

    def resolve(self, surface: str, as_place: bool = False) -> Actor | None:
        """The actor a surface names; ``as_place`` picks the city over its government."""
        found = self.candidates(surface)
        if not found:
            return None
        if not as_place:
            return found[0]
        key = surface_key(surface)
        exact = [a for a in found if surface_key(a.name) == key]
        return exact[0] if exact else found[-1]


def _alias_regex(surface: str) -> str:
    """Regex for one alias: hyphens match spaces too, a syllable after a hyphen may be
    capitalised, and long names (three words or more) match in any case."""
    pieces = re.split(r"([-‐ ])", surface)
    out: list[str] = []
    after_hyphen = False
    for piece in pieces:
        if piece in ("-", "‐", " "):
            out.append("[-‐ ]" if piece != " " else r"\s+")
            after_hyphen = piece != " "
            continue
        if after_hyphen and piece[:1].isalpha():
            out.append(f"[{piece[0].upper()}{piece[0].lower()}]{re.escape(piece[1:])}")
        else:
            out.append(re.escape(piece))
        after_hyphen = False
    regex = "".join(out)
    return f"(?i:{regex})" if len(surface.split()) >= 3 else regex


@lru_cache(maxsize=4)
def _load(path: Path) -> ActorTable:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    actors = [
        Actor(
            name=row["canonical_name"].strip(),
            type=row["type"].strip(),
            aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
            wikidata_id=row["wikidata_id"].strip() or None,
        )
        for row in rows
    ]
    return ActorTable(actors)


def load_actors(path: Path | None = None) -> ActorTable:
    """Load (and cache) the alias table; the packaged CSV by default."""
    return _load(Path(path) if path else DEFAULT_PATH)
