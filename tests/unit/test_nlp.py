"""NLP stage: sentences, aliases, entities, attribution, stance and quantities.

Sentences here are written for the tests, not taken from the seed articles; the last
test scores the fixture seeds and guards the measured figures.
"""

from __future__ import annotations

import pytest

from ingest.nlp import analyze_article, load_actors, split_sentences
from ingest.nlp.certainty import certainty
from ingest.nlp.evaluate import evaluate
from ingest.nlp.polarity import polarity
from ingest.nlp.quantities import find_quantities


def _claims(text: str):
    return analyze_article(text).claims


def _names(text: str) -> set[tuple[str, str]]:
    return {(m.name, m.type) for m in analyze_article(text).mentions}


# ---------------------------------------------------------------- sentences
def test_abbreviations_initials_and_decimals_do_not_split():
    text = "Lt. Gen. Ivan Petrov met Mr. Choi and Dr. Han in the U.S. on Oct. 3 at No. 10 with 2.5 tons. Then he left."
    assert [s.text for s in split_sentences(text)] == [
        "Lt. Gen. Ivan Petrov met Mr. Choi and Dr. Han in the U.S. on Oct. 3 at No. 10 with 2.5 tons.",
        "Then he left.",
    ]


def test_acronym_at_sentence_end_splits_before_a_sentence_starter():
    texts = [s.text for s in split_sentences("Troops left for the U.S. The ministry said nothing.")]
    assert texts == ["Troops left for the U.S.", "The ministry said nothing."]


def test_quotes_and_line_breaks():
    text = '"Is it over?" she asked. "Not yet," he said.\nThe talks\ncontinued.\n\nA new paragraph.'
    assert [s.text for s in split_sentences(text)] == [
        '"Is it over?" she asked.', '"Not yet," he said.', "The talks\ncontinued.", "A new paragraph."
    ]


def test_quote_running_over_a_paragraph_break_stays_one_sentence():
    text = '"Our units saw them near\n\nthe border yesterday," the officer said.\n\nNext.'
    sentences = split_sentences(text)
    assert len(sentences) == 2 and sentences[0].text.endswith("the officer said.")
    assert text[sentences[0].start:sentences[0].end] == sentences[0].text


# ---------------------------------------------------------------- aliases and entities
def test_alias_table_loads_with_capitals_as_city_or_government():
    table = load_actors()
    assert table.resolve("DPRK").name == "North Korea"
    assert table.resolve("Pyongyang").name == "North Korea"
    assert table.resolve("Pyongyang", as_place=True).name == "Pyongyang"
    assert table.resolve("Kim Jong-un").name == "Kim Jong Un"


def test_capital_as_speaker_versus_place():
    claims = _claims("Pyongyang denied sending any troops.")
    assert claims[0].speaker == "North Korea" and claims[0].speaker_type == "GPE"
    assert ("Pyongyang", "GPE") in _names("The envoy arrived in Pyongyang on Friday.")
    assert ("Moscow", "GPE") in _names("Two were flown to a Moscow clinic.")
    assert ("Russia", "GPE") in _names("The deal deepened ties with Moscow.")


def test_names_found_by_title_shape_and_keyword():
    names = _names(
        "Foreign Minister Park Hye-jin met spokesman Oleh Tkachenko and researchers of the "
        "Institute for Arctic Security Studies."
    )
    assert ("Park Hye-jin", "PERSON") in names
    assert ("Oleh Tkachenko", "PERSON") in names
    assert ("Institute for Arctic Security Studies", "ORG") in names


def test_surname_resolves_to_most_recent_full_name():
    text = (
        "Kim Jong Un visited a tank factory. Lawmaker Kim Min-seok told reporters the plant was new. "
        "Kim added that more tanks were coming."
    )
    assert _claims(text)[-1].speaker == "Kim Min-seok"
    solo = analyze_article("Kim Jong Un inspected drones. Kim smiled at the crowd.")
    assert [m.name for m in solo.mentions if m.surface == "Kim"] == ["Kim Jong Un"]


def test_pronoun_takes_the_latest_person_speaker():
    claims = _claims('Defence Minister Oleksiy Marchenko spoke on Monday. "We are ready," he said.')
    assert claims[-1].speaker == "Oleksiy Marchenko" and claims[-1].speaker_surface == "he"


# ---------------------------------------------------------------- attribution
def test_quote_before_attribution():
    (claim,) = _claims('"The shells keep coming," Lieutenant Ivan Sirko said on Tuesday.')
    assert claim.speaker == "Ivan Sirko"
    assert claim.quote == "The shells keep coming,"


def test_quote_after_attribution_and_inverted_verb():
    first, second = _claims(
        'Volodymyr Zelensky said: "They are already here." "It is a new front," said analyst Ma Li-hua.'
    )
    assert (first.speaker, first.quote) == ("Volodymyr Zelensky", "They are already here.")
    assert second.speaker == "Ma Li-hua"


def test_quote_paragraph_continues_the_previous_speaker():
    text = 'Choi Sung-ho told AFP the units were small. "They learn fast."'
    claims = _claims(text)
    assert [c.speaker for c in claims] == ["Choi Sung-ho", "Choi Sung-ho"]
    assert claims[1].quote == "They learn fast."


def test_reported_narration_has_no_speaker():
    (claim,) = _claims("Four soldiers were reportedly captured near the river.")
    assert claim.speaker is None and claim.cue == "reportedly"


def test_according_to_and_coordinated_speakers():
    claims = _claims("Moscow and Beijing have rejected the charge, according to the state agency TASS.")
    assert {c.speaker for c in claims} == {"Russia", "China", "TASS"}
    assert {c.polarity for c in claims if c.speaker in {"Russia", "China"}} == {"deny"}


def test_role_phrase_resolves_to_named_holder():
    text = (
        "Japan's defense minister said the launch was likely. "
        "Defense Minister Sato Kenji told reporters that more launches could follow."
    )
    assert [c.speaker for c in _claims(text)] == ["Sato Kenji", "Sato Kenji"]


def test_negated_cues():
    claims = _claims("The ministry did not deny the report. Beijing has not commented on the visit.")
    assert [(c.speaker, c.cue, c.polarity) for c in claims] == [("ministry", "did not deny", "affirm")]
    assert _claims("The agency never publicly acknowledged the transfer.") == ()


def test_participle_cue_after_a_comma_keeps_the_speaker():
    claims = _claims("Officials said the ship had left, adding that two more were loading.")
    assert [(c.speaker, c.cue) for c in claims] == [("officials", "said"), ("officials", "adding")]


def test_definite_generic_and_spokesperson_phrases_name_earlier_speakers():
    text = (
        "A spokeswoman for the Iranian Foreign Ministry rejected the charge. "
        '"We sent nothing," the spokeswoman said. A senior European diplomat said talks went on. '
        "The diplomat added that a deal was near."
    )
    assert [c.speaker for c in _claims(text)] == [
        "Iranian Foreign Ministry", "Iranian Foreign Ministry", "senior European diplomat", "senior European diplomat"
    ]


def test_appositive_body_and_acronym_after_a_name():
    (first,) = _claims("Japan's spy agency, the Defense Intelligence Agency, said the drills were over.")
    assert first.speaker == "Defense Intelligence Agency"
    (second,) = _claims("The Joint Chiefs of Staff (JCS) said three rockets fell.")
    assert second.speaker == "Joint Chiefs of Staff" and [q.value for q in second.quantities] == [3]


def test_institution_speaker_is_an_entity():
    analysis = analyze_article("About 40 boats crossed, the Japanese military said.")
    assert ("Japanese military", "ORG") in {(m.name, m.type) for m in analysis.mentions}
    assert analysis.claims[0].speaker == "Japanese military"


def test_dateline_city_and_country_acronym_ministry():
    names = _names("Pyongyang, March 3 (KCNA) -- The DPRK Foreign Ministry issued a statement.")
    assert {("Pyongyang", "GPE"), ("North Korean Foreign Ministry", "ORG")} <= names


def test_no_person_inside_place_names_and_no_honorific_in_names():
    names = _names("The Jasper Park Lodge reopened, said researcher Dr Amina Odhiambo. Park Ji-won agreed.")
    people = {name for name, kind in names if kind == "PERSON"}
    assert people == {"Amina Odhiambo", "Park Ji-won"}


def test_possessive_country_ministry_takes_the_demonym():
    assert ("Russian Defense Ministry", "ORG") in _names("Russia’s Defense Ministry said 12 drones fell.")


def test_carried_quote_cue_says_so():
    claims = _claims('Choi Sung-ho told AFP the units were small. "They learn fast."')
    assert claims[1].cue == "continued quote"


# ---------------------------------------------------------------- stance, sources, numbers
def test_denial_by_verb_or_by_wording():
    assert polarity("dismissed", "the story") == "deny"
    assert polarity("said", "this is groundless fake news") == "deny"
    assert polarity("said", "the troops arrived") == "affirm"
    (claim,) = _claims('"These are lies," Kremlin spokesman Dmitry Peskov said.')
    assert claim.polarity == "deny"


@pytest.mark.parametrize(
    ("content", "expected"),
    [("the units are highly likely there", "probable"), ("they are believed dead", "probable"),
     ("troops could move", "possible"), ("it might be true", "possible"), ("they arrived", "certain")],
)
def test_certainty(content: str, expected: str):
    assert certainty(content) == expected


def test_hedge_of_an_embedded_claim_stays_with_it():
    outer, inner = _claims("The ministry rejected a claim by Kyiv that the troops were probably trained.")
    assert (outer.speaker, outer.certainty, outer.polarity) == ("ministry", "certain", "deny")
    assert (inner.speaker, inner.certainty) == ("Ukraine", "probable")


def test_cited_source():
    (claim,) = _claims("Yonhap reported on Monday that the ship had docked, citing a government source.")
    assert claim.cited_source == "a government source"


def test_quantities_skip_dates_years_and_vague_amounts():
    values = [q.value for q in find_quantities(
        "Over 7,500 shells and roughly two million rounds since 2023, not thousands of crates, "
        "on Jan. 5 and four times in 3 years, but 12 launchers, several hundred drones and 4,000-5,000 guards."
    )]
    assert values == [7500, 2_000_000, 12, 4000]


def test_amount_right_after_the_cue_is_content():
    (claim,) = _claims("Lawmakers said about 300 sailors had been detained.")
    assert [q.value for q in claim.quantities] == [300]


def test_cited_source_keeps_where_it_sits():
    (claim,) = _claims("The agency said the camp had closed, citing reports from the border.")
    assert claim.cited_source == "reports from the border"


def test_claim_quantities():
    (claim,) = _claims("Officials said nine engineers and 40 drivers crossed on Sept. 2.")
    assert sorted(q.value for q in claim.quantities) == [9, 40]


# ---------------------------------------------------------------- seed evaluation
def test_seed_evaluation_floors():
    overall = evaluate()["overall"]
    assert overall["entity_f1"] >= 0.95
    assert overall["claim_f1"] >= 0.95
    assert overall["polarity_acc"] >= 0.95
    assert overall["certainty_acc"] >= 0.95
    assert overall["cited_source_acc"] >= 0.95
    assert overall["quote_acc"] >= 0.95
    assert overall["quantity_p"] >= 0.9 and overall["quantity_r"] >= 0.9
