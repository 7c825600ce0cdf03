"""Tests for cwg_analysis.schemas: the models, casting, validation and the data dictionary."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from cwg_analysis import config, loading, schemas
from cwg_analysis.reading import text as reading_text
from cwg_analysis.schemas import TABLES, coerce_table, sort_table, validate_table

DICTIONARY = config.PROJECT_ROOT / "docs" / "data-dictionary.md"


def csv_frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype="string", keep_default_na=False, na_values=[""])


COUNTRIES_HEADER = "country_code,name,aliases,itu_region,is_uncertain,note,source\n"


@pytest.mark.parametrize("name", list(TABLES))
def test_every_model_is_strict_ordered_keyed_and_describes_every_column(name):
    schema = TABLES[name].model.to_schema()
    assert schema.strict is True
    assert schema.ordered is True
    assert set(TABLES[name].key) <= set(schema.columns)
    assert all(column.description for column in schema.columns.values())
    assert TABLES[name].model.__doc__


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_has_its_loader(name):
    assert callable(getattr(loading, TABLES[name].loader_name))


@pytest.mark.parametrize("name", list(TABLES))
def test_an_empty_table_has_the_schema_columns_and_no_object_column(name):
    frame = schemas.empty_table(name)
    assert list(frame.columns) == TABLES[name].columns
    assert "object" not in {str(dtype) for dtype in frame.dtypes}
    assert validate_table(frame, name, name) == []


def test_the_vocabularies_of_the_reader_are_those_of_the_schema():
    assert reading_text.KINDS == schemas.PARAGRAPH_KINDS
    assert reading_text.DROP_RULES == schemas.DROP_RULES


def test_a_csv_row_is_cast_to_the_nullable_dtypes():
    frame, problems = coerce_table(
        csv_frame(COUNTRIES_HEADER + "NAM,Namibia,,D,false,,https://example.org\n"),
        "countries",
        "countries.csv",
        is_csv=True,
    )
    assert problems == []
    assert frame.loc[0, "country_code"] == "NAM"
    assert pd.isna(frame.loc[0, "aliases"])
    assert str(frame["itu_region"].dtype) == "category"
    assert list(frame["itu_region"].cat.categories) == list(schemas.ITU_REGIONS)
    assert frame["is_uncertain"].dtype == "boolean"


def test_an_unknown_vocabulary_value_is_a_problem_naming_file_line_column_and_value():
    raw = csv_frame(
        COUNTRIES_HEADER
        + "NER,Niger,,D,false,,https://example.org\n"
        + "NGA,Nigeria,,F,false,,https://example.org\n"
    )
    _, problems = coerce_table(raw, "countries", "countries.csv", is_csv=True)
    assert [p.message for p in problems] == [
        "countries.csv:3: column itu_region: not in the vocabulary: 'F'"
    ]
    assert problems[0].row == 1


def test_bad_numbers_dates_and_booleans_are_each_reported():
    raw = csv_frame(
        "group_id,country_code,joined_year,until_date,is_uncertain,note,source\n"
        "CEPT,FRA,19x9,,false,,s\n"
        "CEPT,DEU,1959,2022-13-45,maybe,,s\n"
    )
    _, problems = coerce_table(raw, "group_members", "group_members.csv", is_csv=True)
    assert [p.message for p in problems] == [
        "group_members.csv:2: column joined_year: not a whole number: '19x9'",
        "group_members.csv:3: column until_date: not an ISO date: '2022-13-45'",
        "group_members.csv:3: column is_uncertain: not true/false: 'maybe'",
    ]


def test_missing_and_unexpected_columns_are_reported_before_anything_else():
    raw = csv_frame("country_code,name,colour\nNAM,Namibia,blue\n")
    _, problems = coerce_table(raw, "countries", "countries.csv", is_csv=True)
    assert problems[0].message.startswith("countries.csv: missing column(s): aliases, itu_region")
    assert problems[1].message == "countries.csv: unexpected column(s): colour"


def test_parsed_text_keeps_its_exact_characters_while_csv_blanks_are_null():
    raw = pd.DataFrame(
        {"meeting": [11], "para_id": ["1.1"], "reason": ["no statement"], "text": ["  "]}
    )
    frame, problems = coerce_table(raw, "unparsed", "unparsed.parquet")
    assert problems == []
    assert frame.loc[0, "text"] == "  "


def test_validation_reports_a_duplicate_key_and_a_broken_pattern_with_their_lines():
    raw = csv_frame(
        COUNTRIES_HEADER
        + "NAM,Namibia,,D,false,,s\n"
        + "NAM,Namibia again,,D,false,,s\n"
        + "nam,lower,,D,false,,s\n"
    )
    frame, problems = coerce_table(raw, "countries", "countries.csv", is_csv=True)
    assert problems == []
    messages = [p.message for p in validate_table(frame, "countries", "countries.csv", is_csv=True)]
    assert "countries.csv:2: fails duplicate key: 'NAM'" in messages
    assert "countries.csv:3: fails duplicate key: 'NAM'" in messages
    assert any(
        m.startswith("countries.csv:4: column country_code: fails str_matches") for m in messages
    )


def test_a_count_range_must_be_ordered():
    frame = schemas.empty_table("statements")
    row = {
        "meeting": 11,
        "para_id": "2.1",
        "statement_no": 1,
        "sentence": "Some Member States stated ...",
        "actor_kind": "member_states",
        "actor_label": "Some Member States",
        "country_code": pd.NA,
        "quantifier": "some",
        "count_min": 3,
        "count_max": 2,
        "is_other_group": False,
        "stance": "note",
        "target_symbol": pd.NA,
        "cue": "stated",
    }
    frame, problems = coerce_table(
        pd.concat([frame, pd.DataFrame([row])], ignore_index=True), "statements", "s"
    )
    assert problems == []
    messages = [p.message for p in validate_table(frame, "statements", "statements.parquet")]
    assert messages == ["statements.parquet:row 0: fails count_range_is_ordered"]


def test_sorting_puts_numbered_ids_in_numeric_order_with_a_range_index():
    frame = pd.DataFrame(
        {
            "meeting": pd.array([11, 11, 11, 10], dtype="Int64"),
            "para_id": pd.array(["5.10", "5.9", "10.1", "6.1"], dtype="string"),
            "reason": pd.array(["r"] * 4, dtype="string"),
            "text": pd.array(["t"] * 4, dtype="string"),
        },
        index=[7, 3, 5, 1],
    )
    ordered = sort_table(frame, "unparsed")
    assert ordered["para_id"].tolist() == ["6.1", "5.9", "5.10", "10.1"]
    assert isinstance(ordered.index, pd.RangeIndex)


def test_the_committed_data_dictionary_is_up_to_date():
    assert DICTIONARY.read_text(encoding="utf-8") == schemas.render_data_dictionary()


def test_the_data_dictionary_lists_every_table_and_column():
    text = schemas.render_data_dictionary()
    for spec in TABLES.values():
        assert f"## {spec.name}\n" in text
        assert f"`{spec.loader_name}()`" in text
        for column in spec.columns:
            assert f"| `{column}` |" in text


def test_the_module_writes_the_dictionary_and_its_check_fails_when_out_of_date(tmp_path):
    out = tmp_path / "data-dictionary.md"
    assert schemas.main(["--out", str(out), "--check"]) == 1
    assert schemas.main(["--out", str(out)]) == 0
    assert schemas.main(["--out", str(out), "--check"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Data dictionary\n")
