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
