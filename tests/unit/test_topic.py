"""The keyword topic rule: all three groups needed, density matters."""

import pytest

from ingest.config import ConfigError, load_sources
from ingest.topic import DEFAULT_TOPIC, TopicDefinition, is_on_topic, relevance_score
from ingest.topic_eval import evaluate, labelled_set

ON_TOPIC = (
    "North Korean troops are fighting alongside Russian soldiers in Ukraine, officials said. "
    "Pyongyang has shipped artillery shells and missiles to Moscow under a mutual defence treaty."
)


def test_story_text_is_on_topic() -> None:
    score = relevance_score("North Korea sends troops to Russia", ON_TOPIC)
    assert score > 0.5
    assert is_on_topic(score)


def test_missing_group_scores_zero() -> None:
    assert relevance_score("Rates", "The Russian rouble fell as the central bank raised rates.") == 0.0
    assert relevance_score(None, "North Korea held a football match against Japan in Pyongyang.") == 0.0


def test_passing_mention_in_long_story_stays_low() -> None:
    filler = " ".join(["The harvest festival drew crowds to the town square."] * 80)
    text = filler + " Elsewhere, Russia said North Korean troops were not involved in the war."
    assert not is_on_topic(relevance_score("Harvest festival", text))


def test_threshold_is_configurable() -> None:
    strict = TopicDefinition(threshold=1.01)
    assert not is_on_topic(relevance_score("North Korea sends troops to Russia", ON_TOPIC, strict), strict)


def test_topic_section_replaces_groups_and_threshold(tmp_path) -> None:
    (tmp_path / "urls.txt").write_text("https://example.org/a\n")
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - {name: u, kind: urls, path: urls.txt}\n"
        "topic:\n  military: ['drills?', 'exercises?']\n  threshold: 0.2\n"
    )
    topic = load_sources(sources).topic
    assert topic.military == ("drills?", "exercises?") and topic.threshold == 0.2
    assert topic.north_korea == DEFAULT_TOPIC.north_korea
    assert topic.fingerprint != DEFAULT_TOPIC.fingerprint
    sources.write_text("sources:\n  - {name: u, kind: urls, path: urls.txt}\ntopic:\n  military: ['(']\n")
    with pytest.raises(ConfigError, match="topic: field 'military'"):
        load_sources(sources)


def test_sources_without_topic_use_the_default(tmp_path) -> None:
    (tmp_path / "urls.txt").write_text("https://example.org/a\n")
    (tmp_path / "sources.yaml").write_text("sources:\n  - {name: u, kind: urls, path: urls.txt}\n")
    assert load_sources(tmp_path / "sources.yaml").topic is DEFAULT_TOPIC


def test_labelled_set_precision_and_recall() -> None:
    """The measured figures (python -m ingest.topic_eval) must not silently get worse."""
    scores = evaluate(labelled_set())
    assert scores.recall >= 0.99
    assert scores.precision >= 0.9
