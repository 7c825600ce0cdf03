"""contest.positions: which documents divided the Group, from the statements about them."""

from __future__ import annotations

import pandas as pd
import pytest

from cwg_analysis import config, positions, read_report


@pytest.fixture(scope="module")
def table():
    return positions(
        read_report(config.RAW_REPORTS_DIR / "cwg-internet-11-final-report.txt").statements
    )


def frame(rows: list[tuple]) -> pd.DataFrame:
    columns = [
        "meeting",
        "para_id",
        "statement_no",
        "actor_kind",
        "actor_label",
        "country_code",
        "stance",
        "target_symbol",
    ]
    return pd.DataFrame(rows, columns=columns)


def test_the_contributions_of_india_and_russia_are_contested_and_the_others_not(table):
    contested = table.set_index("target_symbol")["is_contested"]
    assert contested["CWG-Internet-11/6"] and contested["CWG-Internet-11/7"]
    for symbol in (
        "CWG-Internet-10/5",
        "CWG-Internet-11/8",
        "CWG-Internet-11/3",
        "CWG-Internet-11/4",
    ):
        assert not contested[symbol], symbol
    assert table.loc[table["is_contested"], "target_symbol"].tolist() == [
        "CWG-Internet-11/2",
        "CWG-Internet-11/6",
        "CWG-Internet-11/7",
        "CWG-Internet-11/9",
    ]


def test_counts_per_stance_and_actor_sets_of_indias_contribution(table):
    row = table.set_index("target_symbol").loc["CWG-Internet-11/6"]
    assert row[["statements", "support", "oppose", "caution", "note"]].tolist() == [8, 4, 1, 1, 2]
    assert row["actor_sets"] == 8  # seven anonymous mentions and the Chairman
    assert row["state_sets"] == 7
    assert row["para_ids"] == "6.6.1, 6.6.2, 6.6.3, 6.6.4"


def test_one_row_per_target_in_natural_order_with_nullable_dtypes(table):
    assert table["target_symbol"].tolist() == [
        "CWG-FHR-8/19",
        "CWG-Internet-10/5",
        "CWG-Internet-11/1",
        "CWG-Internet-11/2",
        "CWG-Internet-11/3",
        "CWG-Internet-11/4",
        "CWG-Internet-11/6",
        "CWG-Internet-11/7",
        "CWG-Internet-11/8",
        "CWG-Internet-11/9",
    ]
    assert not any(pd.api.types.is_object_dtype(dtype) for dtype in table.dtypes)
    assert isinstance(table.index, pd.RangeIndex)


def test_a_pronoun_continues_its_actor_so_one_set_cannot_contest_itself():
    rows = frame(
        [
            (12, "6.1", 1, "member_states", "Some Member States", None, "support", "D"),
            (12, "6.1", 2, "member_states", "They", None, "caution", "D"),
        ]
    )
    assert not positions(rows)["is_contested"].iloc[0]
    assert positions(rows)["actor_sets"].iloc[0] == 1


def test_the_chairs_caution_does_not_make_a_document_contested():
    rows = frame(
        [
            (12, "6.1", 1, "member_states", "Some Member States", None, "propose", "D"),
            (12, "6.1", 2, "chair", "The Chairman", None, "caution", "D"),
        ]
    )
    assert not positions(rows)["is_contested"].iloc[0]


def test_two_named_states_on_opposite_sides_contest_a_document():
    rows = frame(
        [
            (12, "6.1", 1, "member_state", "India", "IND", "support", "D"),
            (12, "6.2", 1, "member_state", "India", "IND", "caution", "D"),
            (12, "6.3", 1, "member_state", "Brazil", "BRA", "oppose", "E"),
            (12, "6.3", 2, "member_state", "Chile", "CHL", "support", "E"),
        ]
    )
    result = positions(rows).set_index("target_symbol")
    assert result["is_contested"].to_dict() == {"D": False, "E": True}
    assert result["state_sets"].to_dict() == {"D": 1, "E": 2}


def test_cwg_positions_stays_the_function_after_the_analysis_modules_are_imported():
    import cwg_analysis as cwg
    import cwg_analysis.analysis  # importing the analysis modules must not shadow the function

    rows = frame([(12, "6.1", 1, "member_states", "Some Member States", None, "support", "D")])
    assert cwg.positions(rows)["support"].tolist() == [1]


def test_statements_without_a_target_are_left_out():
    rows = frame([(12, "7.1", 1, "group", "The Group", None, "thank", None)])
    assert positions(rows).empty
    assert list(positions(rows).columns)[:2] == ["target_symbol", "statements"]
