"""Tests for cwg_analysis.topics: keyword tagging of documents and consultations."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwg_analysis import config
from cwg_analysis.loading import read_reference_csv
from cwg_analysis.report import read_report
from cwg_analysis.topics import TopicMatcher, tag_consultations, tag_documents

TOPICS = read_reference_csv(config.REFERENCE_DIR / "topics.csv")
SEED = config.RAW_REPORTS_DIR / "cwg-internet-11-final-report.txt"


@pytest.fixture(scope="module")
def seed_report():
    return read_report(SEED)


def small_matcher() -> TopicMatcher:
    return TopicMatcher.from_topics(
        pd.DataFrame(
            {
                "topic_id": ["otts", "spam", "child_protection"],
                "keywords": ["OTT;over-the-top", "spam", "CWG-COP;child online protection"],
            }
        )
    )


def test_a_keyword_in_capitals_matches_only_in_capitals():
    matcher = small_matcher()
    assert matcher.find("Proposals on the OTT International Public Policy") == {"otts": ["OTT"]}
    assert matcher.find("an ott service") == {}


def test_other_keywords_ignore_case_and_match_whole_words_only():
    matcher = small_matcher()
    assert matcher.find("Countering SPAM and Over-The-Top services") == {
        "spam": ["spam"],
        "otts": ["over-the-top"],
    }
    assert matcher.find("spamming and spammers") == {}


def test_a_phrase_matches_across_spacing_and_punctuation_between_its_words():
    matcher = small_matcher()
    found = matcher.find("the work of CWG COP on Child\nOnline   Protection")
    assert found == {"child_protection": ["CWG-COP", "child online protection"]}


def test_the_seed_contributions_get_the_topics_their_paragraphs_speak_of(seed_report):
    tags = tag_documents(seed_report.documents, seed_report.paragraphs, TOPICS)
    assert list(tags.columns) == ["meeting", "doc_symbol", "topic_id", "keywords"]
    found: dict[str, set[str]] = {}
    for symbol, topic_id in zip(tags["doc_symbol"], tags["topic_id"], strict=True):
        found.setdefault(symbol, set()).add(topic_id)
    assert {"otts", "privacy"} <= found["CWG-Internet-11/3"]
    assert "child_protection" in found["CWG-Internet-11/4"]
    assert "enhanced_cooperation" in found["CWG-Internet-11/6"]
    assert "digital_gender_divide" in found["CWG-Internet-11/8"]
    assert "mobile_device_identifiers" in found["CWG-FHR-8/19"]
    keywords = tags.set_index(["doc_symbol", "topic_id"])["keywords"]
    assert set(keywords[("CWG-Internet-11/4", "child_protection")].split(";")) == {
        "Resolution 179",
        "child online protection",
        "CWG-COP",
    }


def test_a_document_never_named_in_a_paragraph_is_tagged_from_its_title_only(seed_report):
    documents = pd.DataFrame(
        {
            "meeting": pd.array([11], dtype="Int64"),
            "doc_symbol": ["CWG-Internet-11/99"],
            "title": ["Spam and the role of governments"],
        }
    )
    tags = tag_documents(documents, seed_report.paragraphs, TOPICS)
    assert sorted(tags["topic_id"]) == ["role_of_governments", "spam"]


def test_every_consultation_with_a_topic_is_tagged():
    consultations = read_reference_csv(config.REFERENCE_DIR / "consultations.csv")
    tags = tag_consultations(consultations, TOPICS)
    tagged = set(tags["consultation_id"])
    with_topic = set(consultations.loc[consultations["topic"].notna(), "consultation_id"])
    assert tagged == with_topic
    pairs = set(zip(tags["consultation_id"], tags["topic_id"], strict=True))
    assert {("2015-10", "persons_with_disabilities"), ("2021-02", "covid_19")} <= pairs
    assert ("2013-02", "spam") in pairs


@given(st.text(max_size=300))
def test_finding_topics_never_fails_on_any_text(text):
    found = TopicMatcher.from_topics(TOPICS).find(text)
    assert set(found) <= set(TOPICS["topic_id"])
