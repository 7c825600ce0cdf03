"""The analysis functions answer the notebooks' questions from small frames and the real corpus."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from cwg_analysis import analysis


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
        ("6.6.3", "member_states", "Some other Member States", None, "some", True, "caution", "X/6"),
        ("6.6.3", "chair", "The Chairman", None, None, False, "note", "X/6"),
        ("7.1.1", "member_state", "Germany", "DEU", "named", False, "inform", None),
        ("7.2.1", "member_state", "India", "IND", "named", False, "propose", "CWG-FHR-8/19"),
        ("7.3.4", "member_states", "A Member State", None, "one", False, "inform", None),
        ("9.3", "group", "The Group", None, None, False, "thank", None),
        ("3.2.7", "official", "The Vice Chairman of CSTD", None, None, False, "inform", None),
    ]
)


def test_named_interventions_are_the_statements_whose_state_the_report_names():
    countries = pd.DataFrame(
        {"country_code": ["DEU", "IND"], "name": ["Germany", "India"]}
    ).astype("string")
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
