"""The keyword topic rule: all three groups needed, density matters."""

from ingest.topic import TopicDefinition, is_on_topic, relevance_score

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
