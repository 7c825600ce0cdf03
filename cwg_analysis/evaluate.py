"""Measure the statement extractor against the hand-labelled gold statements.

``python -m cwg_analysis.evaluate`` reads the seed report, extracts its statements and prints
precision, recall and F1 on (para_id, actor_kind, stance, target_symbol), then a confusion
table per field over statements aligned paragraph by paragraph, then every disagreement.

The gold (``tests/data/gold_statements_11.csv``) was labelled from the text of the eleventh
meeting's report, sections 1-9, before the extractor existed. Labelling rules, applied to every
sentence:

- A statement is one actor doing one thing in one clause; a sentence with two actors ("some
  ... supported ..., while some other ... did not support ...") holds two statements.
  "He"/"They" continue the previous actor of the paragraph.
- The stance is that of the main verb; when a clause holds several, the strongest: oppose,
  caution, decide (the Group), support, a stated risk (caution), propose, thank, inform, note.
  "stated that X should ..." is note (the reporting verb decides); "stated the need to" is
  propose. A passive ("Secretariat was encouraged", "All Member States were encouraged") says
  nothing about who spoke and is not a statement; with an agent ("was approved by the CWG") it
  is the agent's.
- The sentences of section 5 (summary of contributions) are the documents' content, not
  statements at the meeting: not labelled (the submitters table says who brought them).
- Consultation stakeholders ("Stakeholders present ... agreed") are not actors of the model.
- The target is the first document named in the sentence, else the one the section discusses.
The ``note`` column records every judgement call.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from cwg_analysis import config

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FIELDS",
    "GOLD_PATH",
    "KEY",
    "Scores",
    "align_statements",
    "confusion_tables",
    "load_gold",
    "main",
    "score_statements",
]

GOLD_PATH = config.PROJECT_ROOT / "tests" / "data" / "gold_statements_11.csv"
SEED_REPORT = config.RAW_REPORTS_DIR / "cwg-internet-11-final-report.txt"
KEY = ("para_id", "actor_kind", "stance", "target_symbol")
FIELDS = ("actor_kind", "quantifier", "country_code", "is_other_group", "stance", "target_symbol")
MISSING = "(missing)"
SPURIOUS = "(spurious)"
_NONE = "-"


class Scores(NamedTuple):
    """Precision, recall and F1 of predicted statements against the gold, on a key."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    gold: int


def load_gold(path: Path = GOLD_PATH) -> pd.DataFrame:
    """Read the gold statements: one row per hand-labelled statement, in text order."""
    import pandas as pd

    gold = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    is_other = gold["is_other_group"].str.lower().map({"true": True, "false": False})
    return gold.assign(
        statement_no=gold["statement_no"].astype("Int64"),
        is_other_group=is_other.astype("boolean"),
    )


def _keys(frame: pd.DataFrame, key: tuple[str, ...]) -> Counter[tuple[str, ...]]:
    """Count the key tuples of a frame (nulls written as "-")."""
    columns = [frame[name].astype("string").fillna(_NONE).tolist() for name in key]
    return Counter(zip(*columns, strict=True))


def score_statements(
    predicted: pd.DataFrame, gold: pd.DataFrame, key: tuple[str, ...] = KEY
) -> Scores:
    """Return precision, recall and F1 of predicted statements on the key (as multisets)."""
    found, expected = _keys(predicted, key), _keys(gold, key)
    hits = sum((found & expected).values())
    n_found, n_expected = sum(found.values()), sum(expected.values())
    precision = hits / n_found if n_found else 0.0
    recall = hits / n_expected if n_expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, hits, n_found, n_expected)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return _NONE if text in ("", "<NA>", "nan", "None") else text


def align_statements(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Pair gold and predicted statements paragraph by paragraph, best agreement first.

    One row per pair: para_id, then ``gold_<field>`` and ``predicted_<field>`` for every field;
    a gold statement without a partner has "(missing)" predictions, an extra prediction
    "(spurious)" gold values.
    """
    import pandas as pd

    def records(frame: pd.DataFrame) -> dict[str, list[dict[str, str]]]:
        grouped: dict[str, list[dict[str, str]]] = {}
        for row in frame.to_dict("records"):
            grouped.setdefault(str(row["para_id"]), []).append(
                {field: _cell(row[field]) for field in FIELDS}
            )
        return grouped

    found, expected = records(predicted), records(gold)
    rows = []
    for para_id in dict.fromkeys([*expected, *found]):
        left = list(expected.get(para_id, []))
        right = list(found.get(para_id, []))
        for item in left:
            if right:
                best = max(
                    range(len(right)),
                    key=lambda i: (sum(item[f] == right[i][f] for f in FIELDS), -i),
                )
                partner = right.pop(best)
            else:
                partner = dict.fromkeys(FIELDS, MISSING)
            rows.append((para_id, item, partner))
        rows += [(para_id, dict.fromkeys(FIELDS, SPURIOUS), extra) for extra in right]
    data = {"para_id": [row[0] for row in rows]}
    for field in FIELDS:
        data[f"gold_{field}"] = [row[1][field] for row in rows]
        data[f"predicted_{field}"] = [row[2][field] for row in rows]
    return pd.DataFrame(data, dtype="string")


def confusion_tables(aligned: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return, per field, the counts of gold (rows) against predicted (columns) values."""
    import pandas as pd

    return {
        field: pd.crosstab(
            aligned[f"gold_{field}"].rename(f"gold {field}"),
            aligned[f"predicted_{field}"].rename("predicted"),
        )
        for field in FIELDS
    }


def _disagreements(aligned: pd.DataFrame) -> pd.DataFrame:
    """Return the aligned pairs that differ on any field, one line per pair."""
    differs = None
    for field in FIELDS:
        column = aligned[f"gold_{field}"] != aligned[f"predicted_{field}"]
        differs = column if differs is None else differs | column
    return aligned[differs.fillna(False)] if differs is not None else aligned


def main(argv: list[str] | None = None) -> int:
    """Print the scores, per-field confusion and disagreements; exit 1 below ``--min-f1``."""
    import pandas as pd

    from cwg_analysis.report import read_report

    parser = argparse.ArgumentParser(
        prog="python -m cwg_analysis.evaluate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--report", type=Path, default=SEED_REPORT, help="the labelled report")
    parser.add_argument("--gold", type=Path, default=GOLD_PATH, help="the gold statements CSV")
    parser.add_argument("--min-f1", type=float, default=0.0, help="fail below this F1")
    args = parser.parse_args(argv)
    predicted = read_report(args.report).statements
    gold = load_gold(args.gold)
    out = sys.stdout
    scores = score_statements(predicted, gold)
    out.write(
        f"gold: {args.gold.name} ({scores.gold} statements); report: {args.report.name} "
        f"({scores.predicted} statements)\n"
        f"key ({', '.join(KEY)}): precision {scores.precision:.3f}  recall {scores.recall:.3f}"
        f"  F1 {scores.f1:.3f}  ({scores.true_positives} matched)\n"
    )
    for field in FIELDS:
        single = score_statements(predicted, gold, ("para_id", field))
        out.write(f"  (para_id, {field}): F1 {single.f1:.3f}\n")
    aligned = align_statements(predicted, gold)
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        for field, table in confusion_tables(aligned).items():
            out.write(f"\nconfusion of {field} (rows gold, columns predicted):\n")
            out.write(table.to_string() + "\n")
        wrong = _disagreements(aligned)
        out.write(f"\ndisagreements ({len(wrong)}):\n")
        if len(wrong):
            out.write(wrong.to_string(index=False) + "\n")
    return 0 if scores.f1 >= args.min_f1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
