"""The sources file: which sources to read, validated before anything is written.

A mistake in the file must stop the run with one message that names the file, the entry
and the field, so an operator can fix it without reading a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from ingest.fetch import FetchOptions
from ingest.topic import DEFAULT_TOPIC, TopicDefinition, TopicError, topic_from_mapping


@dataclass(frozen=True)
class _Field:
    """How one field of a source entry is read: ``type`` names a reader in ``_READERS``."""

    type: str
    required: bool = False


# The fields each kind takes besides name and kind. A warc source takes exactly one of path and url.
_KINDS: dict[str, dict[str, _Field]] = {
    "rss": {"url": _Field("url", required=True)},
    "urls": {"path": _Field("path", required=True)},
    # A warc path may be a folder: its *.warc(.gz) files, new ones read as they arrive.
    "warc": {"path": _Field("files"), "url": _Field("url"), "prefilter": _Field("bool")},
    "sitemap": {"url": _Field("url", required=True), "since": _Field("date")},
    "gdelt": {"query": _Field("text", required=True), "start": _Field("start", required=True),
              "end": _Field("end", required=True), "sourcelang": _Field("text"), "domain": _Field("text"),
              "base_url": _Field("url"), "min_interval": _Field("seconds")},
    "ccnews": {"start": _Field("date", required=True), "end": _Field("date", required=True),
               "base_url": _Field("url"), "max_files": _Field("count"), "prefilter": _Field("bool")},
}
# Kinds whose records are pre-filtered by keyword unless the entry says `prefilter: false`.
_PREFILTERED_KINDS = frozenset({"warc", "ccnews"})
_TOP_LEVEL_FIELDS = {"sources", "allow_private_addresses", "fetch", "topic"}
# Fetch settings a sources file may override (`fetch:` mapping), with their types.
_FETCH_FIELDS = {
    f.name: f.type for f in fields(FetchOptions) if f.name not in {"allow_private_addresses", "html_types"}
}


class ConfigError(ValueError):
    """The sources file cannot be used; the message says where and why."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One entry of the sources file, with its location resolved."""

    name: str
    kind: str
    path: Path | None = None
    url: str | None = None
    since: date | None = None  # sitemap: skip entries dated before
    query: str | None = None  # gdelt
    start: date | datetime | None = None  # ccnews: first day; gdelt: first moment (UTC)
    end: date | datetime | None = None  # ccnews: last day; gdelt: moment after the last (UTC)
    sourcelang: str | None = None  # gdelt
    domain: str | None = None  # gdelt
    base_url: str | None = None  # gdelt, ccnews: the service's default when None
    min_interval: float | None = None  # gdelt: seconds between API requests
    max_files: int | None = None  # ccnews
    prefilter: bool | None = None  # warc, ccnews

    @property
    def location(self) -> str:
        """What the source reads, for logs and error messages."""
        if self.path is not None or self.url is not None:
            return str(self.path or self.url)
        if self.query is not None:
            return f"query {self.query!r} {self.start}..{self.end}"
        return f"{self.start}..{self.end}"

    @property
    def use_prefilter(self) -> bool:
        """Whether archive records go through the keyword pre-filter (default on for warc and ccnews)."""
        return self.kind in _PREFILTERED_KINDS if self.prefilter is None else self.prefilter


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    """A validated sources file."""

    file: Path
    sources: tuple[SourceSpec, ...]
    allow_private_addresses: bool = False
    fetch: dict[str, Any] = field(default_factory=dict)
    topic: TopicDefinition = DEFAULT_TOPIC  # the optional `topic:` section (ingest/topic.py)

    def fetch_options(self) -> FetchOptions:
        """The fetch settings of this file over the defaults."""
        return replace(FetchOptions(), allow_private_addresses=self.allow_private_addresses, **self.fetch)


def _fail(file: Path, where: str, message: str) -> ConfigError:
    return ConfigError(f"{file}: {where}: {message}")


def _as_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _as_moment(value: Any, *, end: bool) -> datetime | None:
    """A date or datetime as an aware UTC datetime; a date ``end`` means the end of that day."""
    day = _as_date(value)
    if day is not None:
        return datetime.combine(day + timedelta(days=1) if end else day, time(), timezone.utc)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _read_path(file: Path, value: Any, folder_ok: bool = False) -> tuple[Path | None, str]:
    if not isinstance(value, str) or not value.strip():
        return None, "must be a path"
    path = Path(value)
    if not path.is_absolute():
        path = file.parent / path
    if not (path.is_file() or (folder_ok and path.is_dir())):
        return None, f"file not found or unreadable: {path}"
    return path.resolve(), ""


def _read_url(value: Any) -> tuple[str | None, str]:
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value, ""
    return None, f"not an http(s) URL: {value!r}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# Each reader takes (sources file, raw value) and returns (value, "") or (None, what is wrong).
_READERS: dict[str, Callable[[Path, Any], tuple[Any, str]]] = {
    "url": lambda file, v: _read_url(v),
    "path": _read_path,
    "files": lambda file, v: _read_path(file, v, folder_ok=True),
    "text": lambda file, v: (v.strip() if isinstance(v, str) and v.strip() else None, "must be a non-empty string"),
    "date": lambda file, v: (_as_date(v), "must be a date (YYYY-MM-DD)"),
    "start": lambda file, v: (_as_moment(v, end=False), "must be a date or a datetime (ISO 8601)"),
    "end": lambda file, v: (_as_moment(v, end=True), "must be a date or a datetime (ISO 8601)"),
    "bool": lambda file, v: (v if isinstance(v, bool) else None, "must be true or false"),
    "count": lambda file, v: (v if _is_number(v) and isinstance(v, int) and v >= 1 else None,
                              "must be a positive integer"),
    "seconds": lambda file, v: (float(v) if _is_number(v) and v >= 0 else None,
                                "must be a non-negative number of seconds"),
}


def _parse_entry(file: Path, index: int, entry: Any) -> SourceSpec:
    where = f"sources[{index}]"
    if not isinstance(entry, dict):
        raise _fail(file, where, "each source must be a mapping with name, kind and the kind's fields")
    name = entry.get("name")
    if isinstance(name, str) and name.strip():
        where = f"sources[{index}] (name: {name})"
    kind = entry.get("kind")
    allowed = {"name", "kind", *_KINDS.get(kind, {"path": None, "url": None})}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise _fail(file, f"{where}, field '{unknown[0]}'",
                    f"unknown field{f' for kind {kind!r}' if kind in _KINDS else ''}")
    if not isinstance(name, str) or not name.strip():
        raise _fail(file, f"{where}, field 'name'", "missing or empty (a unique name is required)")
    if kind not in _KINDS:
        known = ", ".join(sorted(_KINDS))
        raise _fail(file, f"{where}, field 'kind'", f"unknown kind {kind!r} (expected one of: {known})")
    values: dict[str, Any] = {}
    for key, spec in _KINDS[kind].items():
        if entry.get(key) is None:
            if spec.required:
                raise _fail(file, f"{where}, field '{key}'", f"missing (kind '{kind}' needs '{key}')")
            continue
        value, problem = _READERS[spec.type](file, entry[key])
        if value is None:
            raise _fail(file, f"{where}, field '{key}'", problem)
        values[key] = value
    if kind == "warc" and ("path" in values) == ("url" in values):
        raise _fail(file, f"{where}, field 'path'", "kind 'warc' needs exactly one of 'path' and 'url'")
    start, end = values.get("start"), values.get("end")
    if start is not None and (start > end if kind == "ccnews" else start >= end):
        raise _fail(file, f"{where}, field 'end'", f"must be after start ({values['start']})")
    return SourceSpec(name=name, kind=kind, **values)


def _parse_fetch(file: Path, raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(file, "field 'fetch'", "must be a mapping of fetch settings")
    settings: dict[str, Any] = {}
    for key, value in raw.items():
        expected = _FETCH_FIELDS.get(key)
        where = f"fetch, field '{key}'"
        if expected is None:
            raise _fail(file, where, f"unknown fetch setting (known: {', '.join(sorted(_FETCH_FIELDS))})")
        if expected == "str":
            ok = isinstance(value, str) and value.strip() != ""
        elif expected == "bool":
            ok = isinstance(value, bool)
        elif expected == "int":
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        if not ok:
            raise _fail(file, where, f"must be a non-negative {expected}" if expected != "bool" else "must be true or false")
        settings[key] = float(value) if expected == "float" else value
    return settings


def load_sources(file: str | Path) -> SourcesConfig:
    """Read and validate a sources file; raise ConfigError naming the file, entry and field."""
    file = Path(file).resolve()
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(file, "file", f"cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise _fail(file, "file", f"is not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise _fail(file, "file", "must be a mapping with a 'sources' list")
    unknown = sorted(set(raw) - _TOP_LEVEL_FIELDS)
    if unknown:
        raise _fail(file, f"field '{unknown[0]}'", "unknown top-level field")
    entries = raw.get("sources")
    if not isinstance(entries, list) or not entries:
        raise _fail(file, "field 'sources'", "missing or empty (a list of sources is required)")
    allow_private = raw.get("allow_private_addresses", False)
    if not isinstance(allow_private, bool):
        raise _fail(file, "field 'allow_private_addresses'", "must be true or false")
    sources = tuple(_parse_entry(file, index, entry) for index, entry in enumerate(entries))
    seen: set[str] = set()
    for index, spec in enumerate(sources):
        if spec.name in seen:
            raise _fail(file, f"sources[{index}] (name: {spec.name}), field 'name'", "duplicate name")
        seen.add(spec.name)
    fetch = _parse_fetch(file, raw.get("fetch"))
    try:
        topic = topic_from_mapping(raw.get("topic"))
    except TopicError as exc:
        raise _fail(file, "topic", str(exc)) from exc
    return SourcesConfig(file=file, sources=sources, allow_private_addresses=allow_private, fetch=fetch, topic=topic)
