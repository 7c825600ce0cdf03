"""The analysis functions answer the notebooks' questions from small frames and the real corpus.

The real-corpus tests read a copy of data/reference and data/raw/reports in a temporary
folder (the loaders build its corpus there), so the project's data/ is never written.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from types import SimpleNamespace

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from cwg_analysis import analysis, config, loading
from cwg_analysis.errors import UnknownMeetingError


def _submitters(rows: list[tuple[str, str]]) -> pd.DataFrame:
    """Build a submitters frame from (doc_symbol, country_code) pairs, in listed order."""
    frame = pd.DataFrame(rows, columns=["doc_symbol", "country_code"])
    frame.insert(0, "meeting", 11)
    frame.insert(2, "position", frame.groupby("doc_symbol").cumcount() + 1)
    return frame.astype(
        {"meeting": "Int64", "doc_symbol": "string", "position": "Int64", "country_code": "string"}
    )


JOINT = _submitters(
    [
        ("CWG-Internet-11/3", "RUS"),
        ("CWG-Internet-11/3", "ARM"),
        ("CWG-Internet-11/3", "KGZ"),
        ("CWG-Internet-11/4", "RUS"),
        ("CWG-Internet-11/4", "ARM"),
        ("CWG-Internet-11/6", "IND"),
        ("CWG-Internet-11/7", "RUS"),
        ("CWG-Internet-10/5", "USA"),
        ("CWG-Internet-10/5", "USA"),  # the same document listed again (another report)
    ]
)


# --- participation -------------------------------------------------------------------------


def test_contributions_are_counted_once_per_state_and_split_into_sole_and_joint():
    table = analysis.count_contributions(JOINT)
    expected = pd.DataFrame(
        {
            "country_code": ["RUS", "ARM", "IND", "KGZ", "USA"],
            "contributions": [3, 2, 1, 1, 1],
            "sole_contributions": [1, 0, 1, 0, 1],
            "joint_contributions": [2, 2, 0, 1, 0],
            "doc_symbols": [
                "CWG-Internet-11/3, CWG-Internet-11/4, CWG-Internet-11/7",
                "CWG-Internet-11/3, CWG-Internet-11/4",
                "CWG-Internet-11/6",
                "CWG-Internet-11/3",
                "CWG-Internet-10/5",
            ],
        }
    ).astype(
        {
            "country_code": "string",
            "contributions": "Int64",
            "sole_contributions": "Int64",
            "joint_contributions": "Int64",
            "doc_symbols": "string",
        }
    )
    assert_frame_equal(table, expected)


def test_contributions_carry_country_names_and_regions_when_countries_are_given():
    countries = pd.DataFrame(
        {
            "country_code": ["ARM", "IND", "KGZ", "RUS", "USA"],
            "name": ["Armenia", "India", "Kyrgyzstan", "Russian Federation", "United States"],
            "itu_region": ["C", "E", "C", "C", "A"],
        }
    ).astype("string")
    table = analysis.count_contributions(JOINT, countries)
    assert list(table.columns[:3]) == ["country_code", "country_name", "itu_region"]
    assert table.loc[0, "country_name"] == "Russian Federation"
    assert table["itu_region"].tolist() == ["C", "C", "E", "C", "A"]


def test_cosubmission_graph_weights_edges_by_joint_documents_and_keeps_sole_submitters():
    graph = analysis.build_cosubmission_graph(JOINT)
    assert sorted(graph.nodes) == ["ARM", "IND", "KGZ", "RUS", "USA"]
    assert graph.nodes["RUS"]["contributions"] == 3
    assert graph.edges["ARM", "RUS"]["weight"] == 2
    assert graph.edges["ARM", "RUS"]["doc_symbols"] == ["CWG-Internet-11/3", "CWG-Internet-11/4"]
    assert graph.edges["KGZ", "RUS"]["weight"] == 1
    assert graph.degree("IND") == 0 and graph.degree("USA") == 0


def test_blocs_are_connected_cosubmitters_with_the_groups_that_hold_every_member():
    memberships = pd.DataFrame(
        {
            "group_id": ["C", "C", "C", "RCC", "RCC", "RCC", "CEPT"],
            "country_code": ["ARM", "KGZ", "RUS", "ARM", "KGZ", "RUS", "ARM"],
        }
    ).astype("string")
    blocs = analysis.find_cosubmission_blocs(JOINT, memberships)
    assert len(blocs) == 1
    bloc = blocs.iloc[0]
    assert (bloc["bloc"], bloc["states"], bloc["joint_contributions"]) == (1, 3, 2)
    assert bloc["country_codes"] == "ARM, KGZ, RUS"
    assert bloc["doc_symbols"] == "CWG-Internet-11/3, CWG-Internet-11/4"
    assert bloc["shared_groups"] == "C, RCC"


def test_no_joint_contribution_gives_an_empty_bloc_table_with_its_columns():
    blocs = analysis.find_cosubmission_blocs(JOINT[JOINT["country_code"].isin(["USA", "IND"])])
    assert blocs.empty
    assert list(blocs.columns) == [
        "bloc",
        "states",
        "country_codes",
        "joint_contributions",
        "doc_symbols",
    ]


def test_groups_count_contributing_states_and_every_group_a_joint_contribution_touches():
    groups = pd.DataFrame(
        {
            "group_id": ["A", "C", "E", "RCC", "CEPT"],
            "name": ["Region A", "Region C", "Region E", "RCC", "CEPT"],
            "group_kind": ["itu_region"] * 3 + ["regional_organisation"] * 2,
        }
    ).astype({"group_id": "string", "name": "string", "group_kind": "category"})
    countries = pd.DataFrame(
        {
            "country_code": ["ARM", "IND", "KGZ", "RUS", "USA", "DEU"],
            "itu_region": ["C", "E", "C", "C", "A", "B"],
        }
    ).astype("string")
    group_members = pd.DataFrame(
        {"group_id": ["RCC", "RCC", "RCC", "CEPT"], "country_code": ["ARM", "KGZ", "RUS", "DEU"]}
    ).astype("string")
    memberships = analysis.list_memberships(countries, group_members)
    table = analysis.count_contributions_by_group(JOINT, groups, memberships)
    assert table["group_id"].tolist() == ["A", "C", "E", "CEPT", "RCC"]
    assert table["member_states"].tolist() == [1, 3, 1, 1, 3]
    assert table["contributing_states"].tolist() == [1, 3, 1, 0, 3]
    assert table["contributions"].tolist() == [1, 3, 1, 0, 3]
    assert table.loc[1, "doc_symbols"] == "CWG-Internet-11/3, CWG-Internet-11/4, CWG-Internet-11/7"
    assert pd.isna(table.loc[3, "doc_symbols"])


# --- statements ----------------------------------------------------------------------------

STATEMENT_COLUMNS = [
    "meeting",
    "para_id",
    "statement_no",
    "sentence",
    "actor_kind",
    "actor_label",
    "country_code",
    "quantifier",
    "count_min",
    "count_max",
    "is_other_group",
    "stance",
    "target_symbol",
    "cue",
]


def _statements(rows: list[tuple]) -> pd.DataFrame:
    """Build a statements frame from (para_id, actor_kind, label, country, quantifier,
    is_other_group, stance, target) tuples of meeting 11, with the contract's dtypes."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "para_id",
            "actor_kind",
            "actor_label",
            "country_code",
            "quantifier",
            "is_other_group",
            "stance",
            "target_symbol",
        ],
    )
    frame["meeting"] = 11
    frame["statement_no"] = frame.groupby("para_id").cumcount() + 1
    frame["sentence"] = frame["actor_label"] + " " + frame["stance"] + "."
    frame["count_min"] = pd.NA
    frame["count_max"] = pd.NA
    frame["cue"] = frame["stance"]
    return frame[STATEMENT_COLUMNS].astype(
        {
            "meeting": "Int64",
            "para_id": "string",
            "statement_no": "Int64",
            "sentence": "string",
            "actor_kind": "category",
            "actor_label": "string",
            "country_code": "string",
            "quantifier": "category",
            "count_min": "Int64",
            "count_max": "Int64",
            "is_other_group": "boolean",
            "stance": "category",
            "target_symbol": "string",
            "cue": "string",
        }
    )


STATEMENTS = _statements(
    [
        ("3.2.6", "group", "The Group", None, None, False, "decide", "CWG-Internet-11/2"),
        ("4.4+2", "chair", "The Chairman", None, None, False, "propose", "CWG-Internet-11/9"),
        ("6.6.3", "member_states", "some Member States", None, "some", False, "support", "X/6"),
        (
            "6.6.3",
            "member_states",
            "Some other Member States",
            None,
            "some",
            True,
            "caution",
            "X/6",
        ),
        ("6.6.3", "chair", "The Chairman", None, None, False, "note", "X/6"),
        ("7.1.1", "member_state", "Germany", "DEU", "named", False, "inform", None),
        ("7.2.1", "member_state", "India", "IND", "named", False, "propose", "CWG-FHR-8/19"),
        ("7.3.4", "member_states", "A Member State", None, "one", False, "inform", None),
        ("9.3", "group", "The Group", None, None, False, "thank", None),
        ("3.2.7", "official", "The Vice Chairman of CSTD", None, None, False, "inform", None),
    ]
)


def test_named_interventions_are_the_statements_whose_state_the_report_names():
    countries = pd.DataFrame({"country_code": ["DEU", "IND"], "name": ["Germany", "India"]}).astype(
        "string"
    )
    named = analysis.list_named_interventions(STATEMENTS, countries)
    assert named["country_code"].tolist() == ["DEU", "IND"]
    assert named["country_name"].tolist() == ["Germany", "India"]
    assert named["para_id"].tolist() == ["7.1.1", "7.2.1"]
    assert named["target_symbol"].isna().tolist() == [True, False]


def test_speaker_summary_counts_anonymous_and_named_statements_by_kind_and_quantifier():
    summary = analysis.summarise_speakers(STATEMENTS)
    by_key = summary.set_index(["actor_kind", "quantifier"])
    assert by_key.loc[("member_states", "some"), "statements"] == 2
    assert by_key.loc[("member_states", "some"), "named_statements"] == 0
    assert by_key.loc[("member_state", "named"), "named_statements"] == 2
    assert summary["statements"].sum() == len(STATEMENTS)
    assert summary["share"].sum() == pytest.approx(1.0, abs=0.01)


def test_official_roles_sum_up_chair_and_officials_in_order_of_appearance():
    roles = analysis.list_official_roles(STATEMENTS)
    assert roles["actor_label"].tolist() == ["The Chairman", "The Vice Chairman of CSTD"]
    chair = roles.iloc[0]
    assert (chair["statements"], chair["para_ids"]) == (2, "4.4+2, 6.6.3")
    assert chair["stances"] in ("propose 1, note 1", "note 1, propose 1")


def test_position_statements_keep_only_stances_on_a_known_document_with_their_words():
    positions = analysis.list_position_statements(STATEMENTS, meeting=11)
    assert positions[["para_id", "stance"]].astype(str).values.tolist() == [
        ["6.6.3", "support"],
        ["6.6.3", "caution"],
        ["7.2.1", "propose"],
    ]
    assert positions.loc[1, "sentence"] == "Some other Member States caution."
    assert analysis.list_position_statements(STATEMENTS, target_symbol="X/6").shape[0] == 2
    assert analysis.list_position_statements(STATEMENTS, meeting=10).empty


def test_decisions_are_the_groups_actions_and_the_chairs_proposals_not_thanks():
    decisions = analysis.list_decisions(STATEMENTS)
    assert decisions[["para_id", "actor_label"]].values.tolist() == [
        ["3.2.6", "The Group"],
        ["4.4+2", "The Chairman"],
        ["6.6.3", "The Chairman"],
    ]


# --- time ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("October 2017 - January 2018", "2017-10-01", "2018-01-31"),
        ("February - September 2016", "2016-02-01", "2016-09-30"),
        ("February 2019", "2019-02-01", "2019-02-28"),
        ("November 2024 \u2013 January 2025", "2024-11-01", "2025-01-31"),
    ],
)
def test_period_texts_give_the_first_and_last_day_of_the_months_they_name(text, first, last):
    assert analysis.read_period_bounds(text) == (pd.Timestamp(first), pd.Timestamp(last))


@pytest.mark.parametrize(
    "text", ["2013 (closed 1 August 2013)", "2020 (deadline 15 December 2020)", "2020-2021", None]
)
def test_texts_that_are_not_a_month_period_give_no_bounds(text):
    assert all(pd.isna(bound) for bound in analysis.read_period_bounds(text))


@pytest.mark.parametrize(
    ("start", "end", "text", "expected"),
    [
        ("2018-01-25", "2018-01-26", None, "25-26 January 2018"),
        ("2017-09-20", "2017-09-22", None, "20-22 September 2017"),
        ("2016-09-30", "2016-10-02", None, "30 September - 2 October 2016"),
        ("2015-09-28", "2015-09-28", None, "28 September 2015"),
        (None, None, "February 2019", "February 2019"),
    ],
)
def test_meeting_dates_read_as_a_council_reader_writes_them(start, end, text, expected):
    assert analysis.format_dates(pd.Timestamp(start), pd.Timestamp(end), text) == expected


def test_topics_are_ordered_by_resolution_1305_item_then_later_topics_by_label():
    topics = pd.DataFrame(
        {
            "topic_id": ["otts", "child_protection", "spam", "ixps", "multilingualisation"],
            "label": ["OTTs", "Children", "Spam", "IXPs", "Multilingual"],
            "res1305_item": ["", "xii", "vi", "", "i"],
        }
    ).replace("", pd.NA)
    assert analysis.order_topics(topics)["topic_id"].tolist() == [
        "multilingualisation",
        "spam",
        "child_protection",
        "ixps",
        "otts",
    ]


def test_an_unknown_meeting_fails_naming_the_meetings_on_record():
    meetings = pd.DataFrame({"meeting": pd.array([2, 3, 11], dtype="Int64")})
    for wrong in (99, "11", True, 11.0):
        with pytest.raises(
            UnknownMeetingError, match=r"meetings:meeting=.*: no such meeting.*2-11"
        ):
            analysis.select_meeting(meetings, wrong)
    assert analysis.select_meeting(meetings, 11)["meeting"].tolist() == [11]


# --- the real corpus -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """Every table the notebooks load, from a temporary copy of the project's data."""
    data = tmp_path_factory.mktemp("corpus") / "data"
    shutil.copytree(config.REFERENCE_DIR, data / "reference")
    shutil.copytree(config.RAW_REPORTS_DIR, data / "raw" / "reports")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(config, "DATA_DIR", data)
        monkeypatch.setattr(config, "RAW_REPORTS_DIR", data / "raw" / "reports")
        monkeypatch.setattr(config, "REFERENCE_DIR", data / "reference")
        monkeypatch.setattr(config, "PROCESSED_DIR", data / "processed")
        monkeypatch.setattr(loading, "_CACHE", {})
        names = [
            "meetings", "documents", "submitters", "statements", "paragraphs", "countries",
            "groups", "group_members", "topics", "consultations", "consultation_responses",
            "consultation_topics", "document_topics",
        ]  # fmt: skip
        yield SimpleNamespace(**{name: getattr(loading, f"load_{name}")() for name in names})


def test_the_positions_of_meeting_11_match_the_gold_contested_set(corpus):
    table = analysis.tabulate_positions(corpus.statements, corpus.documents, meeting=11)
    contributions = table[table["doc_type"] == "contribution"].set_index("target_symbol")
    assert contributions["is_contested"].to_dict() == {
        "CWG-Internet-10/5": False,
        "CWG-Internet-11/3": False,
        "CWG-Internet-11/4": False,
        "CWG-Internet-11/6": True,
        "CWG-Internet-11/7": True,
        "CWG-Internet-11/8": False,
    }
    india = contributions.loc["CWG-Internet-11/6"]
    assert india["support"] >= 3 and india["caution"] >= 1 and india["oppose"] == 1
    assert india["para_ids"].startswith("6.6.1")
    assert contributions.loc["CWG-Internet-11/7", "has_decision"]


def test_position_statements_of_contested_items_point_to_their_paragraph_and_words(corpus):
    rows = analysis.list_position_statements(corpus.statements, meeting=11, contested_only=True)
    on_india = rows[rows["target_symbol"] == "CWG-Internet-11/6"]
    oppose = on_india[on_india["stance"] == "oppose"].iloc[0]
    assert oppose["para_id"] == "6.6.4"
    assert "did not support" in oppose["sentence"]
    assert not rows["target_symbol"].isin(["CWG-Internet-11/8", "CWG-Internet-10/5"]).any()
    assert not rows["actor_label"].str.casefold().isin(["they", "he"]).any()


def test_the_rcc_states_are_the_one_bloc_of_co_submitters(corpus):
    memberships = analysis.list_memberships(corpus.countries, corpus.group_members)
    blocs = analysis.find_cosubmission_blocs(corpus.submitters, memberships)
    assert blocs[["country_codes", "joint_contributions", "doc_symbols", "shared_groups"]].to_dict(
        "records"
    ) == [
        {
            "country_codes": "ARM, AZE, BLR, KGZ, RUS",
            "joint_contributions": 2,
            "doc_symbols": "CWG-Internet-11/3, CWG-Internet-11/4",
            "shared_groups": "C, RCC",
        }
    ]


def test_contributions_by_state_and_group_count_the_six_contributions_of_meeting_11(corpus):
    by_state = analysis.count_contributions(corpus.submitters, corpus.countries)
    assert by_state.set_index("country_code")["contributions"].to_dict() == {
        "RUS": 3, "ARM": 2, "AZE": 2, "BLR": 2, "KGZ": 2, "BRA": 1, "IND": 1, "USA": 1,
    }  # fmt: skip
    assert by_state.loc[0, ["sole_contributions", "joint_contributions"]].tolist() == [1, 2]
    memberships = analysis.list_memberships(corpus.countries, corpus.group_members)
    by_group = analysis.count_contributions_by_group(
        corpus.submitters, corpus.groups, memberships
    ).set_index("group_id")
    assert by_group.loc[["A", "B", "C", "D", "E", "RCC"], "contributions"].tolist() == [
        2,
        0,
        3,
        0,
        1,
        3,
    ]
    assert by_group.loc["RCC", "contributing_states"] == 5
    assert pd.isna(by_group.loc["APT", "member_states"])


def test_named_interventions_are_germany_and_india_and_officials_are_grouped(corpus):
    named = analysis.list_named_interventions(corpus.statements, corpus.countries)
    assert named[["para_id", "country_code", "stance"]].astype(str).values.tolist() == [
        ["7.1.1", "DEU", "inform"],
        ["7.2.1", "IND", "propose"],
        ["7.2.1", "IND", "propose"],
    ]
    assert named.loc[1, "target_symbol"] == "CWG-FHR-8/19"
    roles = analysis.list_official_roles(corpus.statements).set_index("actor_label")
    assert roles.loc["ITU Secretary-General", "statements"] == 4
    assert "9.2" in roles.loc["The Chairman", "para_ids"]
    speakers = analysis.summarise_speakers(corpus.statements)
    assert speakers["named_statements"].sum() == 3
    assert speakers["statements"].sum() == len(corpus.statements)


def test_decisions_hold_what_the_group_agreed_and_asked_but_no_thanks(corpus):
    decisions = analysis.list_decisions(corpus.statements, meeting=11)
    assert {"3.2.6", "6.1.6", "9.1"} <= set(decisions["para_id"])
    assert "thank" not in set(decisions["stance"].astype(str))


def test_documents_of_meeting_11_list_their_submitters_in_the_order_given(corpus):
    documents = analysis.list_documents(
        corpus.documents, corpus.submitters, corpus.countries, meeting=11
    ).set_index("doc_symbol")
    names = corpus.countries.set_index("country_code")["name"]
    assert documents.loc["CWG-Internet-11/3", "submitted_by"] == ", ".join(
        names[code] for code in ["RUS", "ARM", "AZE", "BLR", "KGZ"]
    )
    assert documents.loc["CWG-Internet-10/5", "submitted_by"] == names["USA"]
    assert pd.isna(documents.loc["CWG-Internet-11/1", "submitted_by"])
    assert documents.index[0] == "CWG-Internet-11/1"


def test_consultation_responses_add_up_to_the_published_totals(corpus):
    responses = analysis.count_responses_by_group(
        corpus.consultations, corpus.consultation_responses
    )
    assert responses.groupby("consultation_id")["responses"].sum().to_dict() == {
        "2016-02": 49,
        "2016-10": 46,
        "2017-10": 52,
    }
    assert list(dict.fromkeys(responses["consultation_id"])) == ["2016-02", "2016-10", "2017-10"]
    gender = analysis.count_responses_by_group(
        corpus.consultations, corpus.consultation_responses, meeting=11
    )
    assert gender["responses"].tolist() == [22, 21, 7, 2]
    assert gender["share"].sum() == pytest.approx(1.0, abs=0.005)
    crosswalk = analysis.crosswalk_stakeholder_groups(corpus.consultation_responses)
    row = crosswalk.set_index("stakeholder_group").loc["private_sector_and_technical_community"]
    assert row["2016-02"] == "private sector + technical community" and pd.isna(row["2017-10"])


def test_consultation_summary_measures_the_month_between_closing_and_physical_meeting(corpus):
    summary = analysis.summarise_consultations(
        corpus.consultations, corpus.consultation_responses
    ).set_index("consultation_id")
    assert summary.loc["2017-10", "days_to_physical_meeting"] == 30
    assert summary.loc["2016-10", "days_to_physical_meeting"] == 23
    assert summary.loc["2017-06", "days_open"] == 86
    assert not summary.loc["2017-06", "is_days_open_approximate"]
    assert summary["has_breakdown"].sum() == 3
    assert pd.isna(summary.loc["2013-11", "days_open"])


def test_the_timeline_marks_meeting_11_and_puts_undated_meetings_last(corpus):
    timeline = analysis.build_timeline(corpus.meetings, corpus.consultations)
    meetings = timeline[timeline["event_kind"] == "meeting"].set_index("meeting")
    assert meetings.index[meetings["has_full_report"]].tolist() == [11]
    assert meetings.loc[12, "is_approximate"]
    assert timeline["start_date"].fillna(timeline["end_date"]).dropna().is_monotonic_increasing
    assert timeline.iloc[-1][["start_date", "end_date"]].isna().all()
    gender = timeline[timeline["consultation_id"] == "2017-10"].set_index("event_kind")
    assert gender.loc["online_consultation", "start_date"] == pd.Timestamp("2017-10-01")
    assert gender.loc["physical_consultation", "start_date"] == pd.Timestamp("2018-01-22")


def test_meeting_summary_counts_only_where_a_full_report_exists(corpus):
    summary = analysis.summarise_meetings(
        corpus.meetings, corpus.documents, corpus.submitters, corpus.statements
    ).set_index("meeting")
    eleventh = summary.loc[11]
    assert (eleventh["contributions"], eleventh["contributing_states"]) == (6, 8)
    assert eleventh["statements"] == (corpus.statements["meeting"] == 11).sum()
    positions = analysis.tabulate_positions(corpus.statements, meeting=11)
    assert eleventh["contested_items"] == positions["is_contested"].sum() >= 2
    assert summary.loc[10, ["documents", "statements", "contested_items"]].isna().all()


def test_the_gender_consultation_is_taken_up_by_meeting_11_and_others_are_unknown(corpus):
    uptake = analysis.measure_uptake(
        corpus.consultations,
        corpus.consultation_topics,
        corpus.meetings,
        corpus.paragraphs,
        corpus.topics,
    ).set_index("consultation_id")
    gender = uptake.loc["2017-10"]
    assert (gender["next_meeting"], gender["is_taken_up"]) == (11, True)
    assert {"5.6", "6.2.2", "6.3.2"} <= set(gender["para_ids"].split(", "))
    assert uptake.loc["2017-06", "next_meeting"] == 10
    assert pd.isna(uptake.loc["2017-06", "is_taken_up"])
    assert uptake["is_taken_up"].notna().sum() == 1


def test_topics_over_time_place_consultations_and_discussed_documents_by_year(corpus):
    counts = analysis.count_topics_over_time(
        corpus.topics,
        corpus.consultations,
        corpus.consultation_topics,
        corpus.meetings,
        corpus.document_topics,
    )
    gender = counts[counts["topic_id"] == "digital_gender_divide"].set_index("source")
    assert gender.loc["consultation", ["year", "item_ids"]].tolist() == [2017, "2017-10"]
    assert "CWG-Internet-11/8" in gender.loc["document", "item_ids"]
    issues = counts.loc[counts["origin"] == "res1305", "res1305_item"]
    assert counts["origin"].iloc[: len(issues)].eq("res1305").all()


def test_a_meeting_without_a_full_report_is_described_as_such(corpus):
    tenth = analysis.select_meeting(corpus.meetings, 10)
    assert "no full report of meeting 10" in analysis.describe_report_coverage(tenth)
    facts = analysis.describe_meeting(tenth).set_index("fact")["value"]
    assert facts["Dates"] == "20-22 September 2017"
    assert facts["Full report in this collection"] == "no"
    eleventh = analysis.select_meeting(corpus.meetings, 11)
    assert "cwg-internet-11-final-report.txt" in analysis.describe_report_coverage(eleventh)
    assert analysis.find_meeting_consultation(corpus.consultations, 11)[
        "consultation_id"
    ].tolist() == ["2017-10"]
    assert analysis.list_full_reports(corpus.meetings)["meeting"].tolist() == [11]
