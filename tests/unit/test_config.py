"""The sources file: valid files load, every mistake names the file, the entry and the field."""

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
