"""The sources file: which sources to read, validated before anything is written.

A mistake in the file must stop the run with one message that names the file, the entry
and the field, so an operator can fix it without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from ingest.fetch import FetchOptions

# Which location field each kind needs: a local path, or a URL.
_LOCATION_FIELD = {"warc": "path", "urls": "path", "rss": "url"}
_ALLOWED_FIELDS = {"name", "kind", "path", "url"}
_TOP_LEVEL_FIELDS = {"sources", "allow_private_addresses", "fetch"}
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

    @property
    def location(self) -> str:
        """The path or URL the source reads, for logs and error messages."""
        return str(self.path) if self.path is not None else str(self.url)


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    """A validated sources file."""

    file: Path
    sources: tuple[SourceSpec, ...]
    allow_private_addresses: bool = False
    fetch: dict[str, Any] = field(default_factory=dict)

    def fetch_options(self) -> FetchOptions:
        """The fetch settings of this file over the defaults."""
        return replace(FetchOptions(), allow_private_addresses=self.allow_private_addresses, **self.fetch)


def _fail(file: Path, where: str, message: str) -> ConfigError:
    return ConfigError(f"{file}: {where}: {message}")


def _parse_entry(file: Path, index: int, entry: Any) -> SourceSpec:
    where = f"sources[{index}]"
    if not isinstance(entry, dict):
        raise _fail(file, where, "each source must be a mapping with name, kind and path or url")
    name = entry.get("name")
    if isinstance(name, str) and name.strip():
        where = f"sources[{index}] (name: {name})"
    unknown = sorted(set(entry) - _ALLOWED_FIELDS)
    if unknown:
        raise _fail(file, f"{where}, field '{unknown[0]}'", "unknown field")
    if not isinstance(name, str) or not name.strip():
        raise _fail(file, f"{where}, field 'name'", "missing or empty (a unique name is required)")
    kind = entry.get("kind")
    if kind not in _LOCATION_FIELD:
        known = ", ".join(sorted(_LOCATION_FIELD))
        raise _fail(file, f"{where}, field 'kind'", f"unknown kind {kind!r} (expected one of: {known})")
    location_field = _LOCATION_FIELD[kind]
    value = entry.get(location_field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(file, f"{where}, field '{location_field}'", f"missing (kind '{kind}' needs '{location_field}')")
    if location_field == "url":
        if not value.startswith(("http://", "https://")):
            raise _fail(file, f"{where}, field 'url'", f"not an http(s) URL: {value!r}")
        return SourceSpec(name=name, kind=kind, url=value)
    path = Path(value)
    if not path.is_absolute():
        path = file.parent / path
    if not path.is_file():
        raise _fail(file, f"{where}, field 'path'", f"file not found or unreadable: {path}")
    return SourceSpec(name=name, kind=kind, path=path.resolve())


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
    return SourcesConfig(file=file, sources=sources, allow_private_addresses=allow_private, fetch=fetch)
