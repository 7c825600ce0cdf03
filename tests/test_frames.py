"""Typed frames from column lists (cwg_analysis.frames)."""

import math

import pandas as pd
import pytest

from cwg_analysis.frames import build_frame

DTYPES = {
    "meeting": "Int64",
    "para_id": "string",
    "is_other_group": "boolean",
    "stance": ("support", "oppose"),
}


def test_columns_become_nullable_columns_of_their_dtype_with_every_kind_of_missing_value():
    frame = build_frame(
        {
            "meeting": [11, None, pd.NA, math.nan],
            "para_id": ["1", None, "5.10", "6"],
            "is_other_group": [True, False, None, pd.NA],
            "stance": ["oppose", None, "support", "support"],
        },
        DTYPES,
    )
    assert list(frame.dtypes.astype(str)) == ["Int64", "string", "boolean", "category"]
    assert frame["meeting"].tolist() == [11, pd.NA, pd.NA, pd.NA]
    assert frame["para_id"].tolist() == ["1", pd.NA, "5.10", "6"]
    assert frame["is_other_group"].tolist() == [True, False, pd.NA, pd.NA]
    assert frame["stance"].tolist()[::2] == ["oppose", "support"]
    assert pd.isna(frame["stance"].iloc[1])
    assert list(frame["stance"].cat.categories) == ["support", "oppose"]


def test_large_numbers_keep_every_digit():
    frame = build_frame({"meeting": [2**62 + 1]}, {"meeting": "Int64"})
    assert frame["meeting"].iloc[0] == 2**62 + 1


def test_a_value_of_another_type_is_an_error_naming_the_column():
    with pytest.raises(ValueError, match="column meeting: not Int64"):
        build_frame({"meeting": ["eleven"]}, {"meeting": "Int64"})
    with pytest.raises(ValueError, match="column is_other_group: not boolean"):
        build_frame({"is_other_group": ["yes"]}, {"is_other_group": "boolean"})


def test_a_value_outside_the_vocabulary_is_an_error_naming_it():
    with pytest.raises(ValueError, match="column stance: not in the vocabulary: 'abstain'"):
        build_frame({"stance": ["abstain"]}, {"stance": ("support", "oppose")})


def test_missing_columns_and_columns_of_different_lengths_are_errors():
    with pytest.raises(ValueError, match="columns missing: para_id"):
        build_frame({"meeting": [1]}, {"meeting": "Int64", "para_id": "string"})
    with pytest.raises(ValueError, match=r"different lengths: \[1, 2\]"):
        build_frame(
            {"meeting": [1], "para_id": ["1", "2"]}, {"meeting": "Int64", "para_id": "string"}
        )
