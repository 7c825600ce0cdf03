"""The extractor against the hand-labelled gold: scores, alignment and the report script."""

from __future__ import annotations

import pandas as pd
import pytest

from cwg_analysis import config, read_report
from cwg_analysis.evaluate import (
    FIELDS,
    align_statements,
    confusion_tables,
    load_gold,
    main,
    score_statements,
)
from cwg_analysis.stance import ACTOR_KINDS, QUANTIFIERS, STANCES

SEED = config.RAW_REPORTS_DIR / "cwg-internet-11-final-report.txt"


@pytest.fixture(scope="module")
def predicted():
    return read_report(SEED).statements


@pytest.fixture(scope="module")
def gold():
    return load_gold()


def test_extractor_reaches_at_least_090_f1_against_the_gold(predicted, gold):
    scores = score_statements(predicted, gold)
    assert scores.gold == 79
    assert scores.f1 >= 0.90, scores


def test_the_gold_is_labelled_with_the_models_vocabularies_on_paragraphs_of_the_seed(gold):
    paragraphs = set(read_report(SEED).paragraphs["para_id"])
    assert set(gold["para_id"]) <= paragraphs
    assert set(gold["actor_kind"]) <= set(ACTOR_KINDS)
    assert set(gold["stance"]) <= set(STANCES)
    assert set(gold["quantifier"].dropna()) <= set(QUANTIFIERS)
    assert gold["country_code"].dropna().str.fullmatch(r"[A-Z]{3}").all()
    assert not gold.duplicated(["para_id", "statement_no"]).any()
    assert not gold["para_id"].str.startswith("5").any()  # contribution summaries


def test_scores_count_keys_as_multisets():
    gold = pd.DataFrame(
        {
            "para_id": ["1", "1", "2"],
            "actor_kind": ["chair", "chair", "group"],
            "stance": ["note", "note", "thank"],
            "target_symbol": [None, None, "D"],
        }
    )
    predicted = gold.iloc[[0, 2, 2]].reset_index(drop=True)
    scores = score_statements(predicted, gold)
    assert (scores.true_positives, scores.predicted, scores.gold) == (2, 3, 3)
    assert scores.precision == pytest.approx(2 / 3) and scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)
    assert score_statements(predicted.head(0), gold).f1 == 0.0


def test_alignment_pairs_best_agreeing_statements_and_marks_missing_and_spurious():
    base = {field: ["-"] for field in FIELDS}
    gold = pd.DataFrame({"para_id": ["1"], **base, "stance": ["caution"]})
    predicted = pd.DataFrame(
        {
            "para_id": ["1", "1", "2"],
            **{f: ["-"] * 3 for f in FIELDS},
            "stance": ["support", "caution", "note"],
        }
    )
    aligned = align_statements(predicted, gold)
    assert aligned[["para_id", "gold_stance", "predicted_stance"]].values.tolist() == [
        ["1", "caution", "caution"],
        ["1", "(spurious)", "support"],
        ["2", "(spurious)", "note"],
    ]
    table = confusion_tables(aligned)["stance"]
    assert table.loc["caution", "caution"] == 1 and table.loc["(spurious)", "note"] == 1


def test_the_script_prints_scores_and_per_field_confusion(capsys):
    assert main(["--min-f1", "0.9"]) == 0
    out = capsys.readouterr().out
    assert "key (para_id, actor_kind, stance, target_symbol): precision" in out
    for field in FIELDS:
        assert f"confusion of {field} (rows gold, columns predicted):" in out
    assert "disagreements (" in out


def test_the_script_fails_below_the_asked_f1(tmp_path):
    gold = load_gold()
    gold["stance"] = "decide"
    path = tmp_path / "gold.csv"
    gold.to_csv(path, index=False)
    assert main(["--gold", str(path), "--min-f1", "0.9"]) == 1
