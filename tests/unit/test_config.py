"""The sources file: valid files load, every mistake names the file, the entry and the field."""

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ingest.config import ConfigError, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    return path


def test_relative_paths_resolve_against_the_file_folder(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.warc.gz").write_bytes(b"")
    (tmp_path / "urls.txt").write_text("https://example.com/a\n")
    config = load_sources(
        write(
            tmp_path,
            "sources:\n"
            "  - {name: archive, kind: warc, path: data/a.warc.gz}\n"
            "  - {name: list, kind: urls, path: urls.txt}\n"
            "  - {name: feed, kind: rss, url: 'https://example.com/feed.xml'}\n"
            "allow_private_addresses: true\n",
        )
    )
    assert [s.name for s in config.sources] == ["archive", "list", "feed"]
    assert config.sources[0].path == (tmp_path / "data" / "a.warc.gz").resolve()
    assert config.sources[2].url == "https://example.com/feed.xml"
    assert config.allow_private_addresses is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources:\n  - {name: a, kind: ftp, path: x}\n", "sources[0] (name: a), field 'kind': unknown kind 'ftp'"),
        ("sources:\n  - {kind: rss, url: 'https://e.com/f'}\n", "sources[0], field 'name'"),
        ("sources:\n  - {name: a, kind: rss}\n", "sources[0] (name: a), field 'url': missing"),
        ("sources:\n  - {name: a, kind: warc, path: nowhere.warc}\n", "field 'path': file not found"),
        ("sources:\n  - {name: a, kind: rss, url: 'ftp://e.com/f'}\n", "field 'url': not an http(s) URL"),
        ("sources:\n  - {name: a, kind: rss, url: 'https://e.com/f', colour: red}\n", "field 'colour': unknown field"),
        (
            "sources:\n  - {name: a, kind: rss, url: 'https://e.com/f'}\n  - {name: a, kind: rss, url: 'https://e.com/g'}\n",
            "sources[1] (name: a), field 'name': duplicate name",
        ),
        ("sources: []\n", "field 'sources': missing or empty"),
        ("sources: [\n", "file: is not valid YAML"),
        ("- just a list\n", "file: must be a mapping"),
        ("sources:\n  - {name: a, kind: rss, url: 'https://e.com/f'}\nallow_private_addresses: maybe\n",
         "field 'allow_private_addresses': must be true or false"),
    ],
)
def test_mistakes_name_file_entry_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert str(path) in message
    assert expected in message


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_sources(tmp_path / "missing.yaml")


def test_fetch_settings_override_defaults(tmp_path: Path) -> None:
    config = load_sources(
        write(
            tmp_path,
            "sources:\n  - {name: f, kind: rss, url: 'https://e.com/f'}\n"
            "fetch: {user_agent: 'nkwatch-test (ops@example.org)', retries: 0, read_timeout: 2}\n",
        )
    )
    options = config.fetch_options()
    assert options.user_agent == "nkwatch-test (ops@example.org)"
    assert options.retries == 0 and options.read_timeout == 2.0
    assert options.allow_private_addresses is False


@pytest.mark.parametrize(
    ("fetch", "expected"),
    [("{colour: red}", "fetch, field 'colour': unknown fetch setting"),
     ("{retries: many}", "fetch, field 'retries': must be a non-negative int"),
     ("[1]", "field 'fetch': must be a mapping")],
)
def test_bad_fetch_settings_are_named(tmp_path: Path, fetch: str, expected: str) -> None:
    path = write(tmp_path, f"sources:\n  - {{name: f, kind: rss, url: 'https://e.com/f'}}\nfetch: {fetch}\n")
    with pytest.raises(ConfigError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_sources(path)


def test_new_kinds_load_with_typed_fields(tmp_path: Path) -> None:
    config = load_sources(write(
        tmp_path,
        "sources:\n"
        "  - {name: map, kind: sitemap, url: 'https://e.com/sitemap.xml', since: 2024-10-01}\n"
        "  - {name: api, kind: gdelt, query: '\"north korea\" russia', start: 2024-10-01,"
        " end: '2024-10-02T12:00:00+09:00', sourcelang: korean, domain: yna.co.kr, min_interval: 0}\n"
        "  - {name: news, kind: ccnews, start: 2024-10-01, end: 2024-10-01, max_files: 2, prefilter: false}\n"
        "  - {name: remote, kind: warc, url: 'https://e.com/a.warc.gz'}\n",
    ))
    sitemap, gdelt, ccnews, remote = config.sources
    assert sitemap.since == date(2024, 10, 1)
    assert (gdelt.start, gdelt.end) == (datetime(2024, 10, 1, tzinfo=timezone.utc),
                                        datetime(2024, 10, 2, 3, tzinfo=timezone.utc))
    assert (gdelt.sourcelang, gdelt.domain, gdelt.min_interval) == ("korean", "yna.co.kr", 0.0)
    assert (ccnews.start, ccnews.end, ccnews.max_files, ccnews.use_prefilter) == (date(2024, 10, 1), date(2024, 10, 1),
                                                                                  2, False)
    assert (remote.url, remote.path, remote.use_prefilter) == ("https://e.com/a.warc.gz", None, True)


def test_a_gdelt_end_date_includes_that_day(tmp_path: Path) -> None:
    (spec,) = load_sources(write(tmp_path, "sources:\n  - {name: a, kind: gdelt, query: dprk, start: 2024-10-01,"
                                           " end: 2024-10-01}\n")).sources
    assert spec.end - spec.start == timedelta(days=1)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("{name: a, kind: sitemap, url: 'https://e.com/s.xml', since: yesterday}",
         "sources[0] (name: a), field 'since': must be a date (YYYY-MM-DD)"),
        ("{name: a, kind: gdelt, start: 2024-10-01, end: 2024-10-02}", "field 'query': missing (kind 'gdelt' needs 'query')"),
        ("{name: a, kind: gdelt, query: x, start: 2024-10-02, end: '2024-10-01T00:00:00'}",
         "field 'end': must be after start"),
        ("{name: a, kind: gdelt, query: x, start: soon, end: 2024-10-02}", "field 'start': must be a date or a datetime"),
        ("{name: a, kind: ccnews, start: 2024-10-02, end: 2024-10-01}", "field 'end': must be after start"),
        ("{name: a, kind: ccnews, start: 2024-10-01, end: 2024-10-01, max_files: 0}",
         "field 'max_files': must be a positive integer"),
        ("{name: a, kind: ccnews, start: 2024-10-01, end: 2024-10-01, prefilter: yes please}",
         "field 'prefilter': must be true or false"),
        ("{name: a, kind: ccnews, start: 2024-10-01, end: 2024-10-01, base_url: 'ftp://x'}",
         "field 'base_url': not an http(s) URL"),
        ("{name: a, kind: warc}", "field 'path': kind 'warc' needs exactly one of 'path' and 'url'"),
        ("{name: a, kind: rss, url: 'https://e.com/f', since: 2024-10-01}", "field 'since': unknown field for kind 'rss'"),
    ],
)
def test_new_kind_mistakes_name_the_field(tmp_path: Path, entry: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_sources(write(tmp_path, f"sources:\n  - {entry}\n"))
    assert expected in str(caught.value)
