"""Summarise the statements about each document: counts per stance and whether it divided the Group.

A target is contested when it draws support or a proposal from one set of states and
opposition or caution from another. The reports rarely name speakers, so "a set" is what the
words allow to tell apart: a named state is its own set; each fresh mention of anonymous Member
States ("Some Member States", "some other Member States") is a set of its own, continued by
"they"/"he" in the same paragraph; the proponents of a document are one set. Two anonymous
mentions may overlap, so ``actor_sets`` is an upper bound on the number of distinct groups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["STATE_KINDS", "positions"]

STATE_KINDS = frozenset({"member_states", "member_state", "proponents"})
_FOR = frozenset({"support", "propose"})
_AGAINST = frozenset({"oppose", "caution"})


def _actor_sets(statements: pd.DataFrame) -> list[tuple[object, ...]]:
    """Return the actor-set key of each statement (rows in their given order)."""
    from cwg_analysis.stance import load_cues

    pronouns = {word.lower() for word in load_cues().raw["pronouns"]}
    keys: list[tuple[object, ...]] = []
    previous: dict[tuple[object, object], tuple[object, ...]] = {}
    columns = [
        "meeting",
        "para_id",
        "statement_no",
        "actor_kind",
        "actor_label",
        "country_code",
        "target_symbol",
    ]
    for meeting, para_id, number, kind, label, country, target in zip(
        *(statements[name].tolist() for name in columns), strict=True
    ):
        paragraph = (meeting, para_id)
        if str(label).lower() in pronouns and paragraph in previous:
            key = previous[paragraph]
        elif kind == "member_state":
            key = ("state", country)
        elif kind == "member_states":
            key = ("anonymous", meeting, para_id, number)
        elif kind == "proponents":
            key = ("proponents", target)
        elif kind == "official":
            key = ("official", str(label).lower())
        else:
            key = (kind,)
        previous[paragraph] = key
        keys.append(key)
    return keys


def positions(statements: pd.DataFrame) -> pd.DataFrame:
    """Return one row per target document: counts per stance, actor sets and ``is_contested``.

    Columns: target_symbol, statements, one count column per stance (support, oppose, caution,
    propose, note, inform, thank, decide), actor_sets (distinct sets of actors, an upper bound),
    state_sets (the same among states), is_contested, para_ids (where the statements stand, in
    order). Statements without a target are left out. Sorted by target_symbol.

    Examples
    --------
    >>> import pandas as pd
    >>> statements = pd.DataFrame({
    ...     "meeting": [11, 11], "para_id": ["6.6.4", "6.6.4"], "statement_no": [1, 2],
    ...     "actor_kind": ["member_states"] * 2,
    ...     "actor_label": ["some Member States", "some other Member States"],
    ...     "country_code": [None, None], "stance": ["support", "oppose"],
    ...     "target_symbol": ["CWG-Internet-11/6"] * 2})
    >>> positions(statements)[["target_symbol", "support", "oppose", "is_contested"]]
           target_symbol  support  oppose  is_contested
    0  CWG-Internet-11/6        1       1          True
    """
    import pandas as pd

    from cwg_analysis.stance import STANCES

    ordered = statements.reset_index(drop=True)
    keys = _actor_sets(ordered)
    rows: dict[str, dict[str, object]] = {}
    for index, (target, kind, stance, para_id) in enumerate(
        zip(
            ordered["target_symbol"].tolist(),
            ordered["actor_kind"].astype("string").tolist(),
            ordered["stance"].astype("string").tolist(),
            ordered["para_id"].tolist(),
            strict=True,
        )
    ):
        if pd.isna(target):
            continue
        row = rows.setdefault(
            target,
            {
                "counts": dict.fromkeys(STANCES, 0),
                "sets": set(),
                "for": set(),
                "against": set(),
                "para_ids": [],
            },
        )
        row["counts"][stance] += 1
        row["sets"].add(keys[index])
        if kind in STATE_KINDS:
            row["states"] = row.get("states", set()) | {keys[index]}
            if stance in _FOR:
                row["for"].add(keys[index])
            elif stance in _AGAINST:
                row["against"].add(keys[index])
        if para_id not in row["para_ids"]:
            row["para_ids"].append(para_id)
    targets = sorted(rows, key=_natural)
    data: dict[str, object] = {
        "target_symbol": pd.array(targets, dtype="string"),
        "statements": pd.array([sum(rows[t]["counts"].values()) for t in targets], dtype="Int64"),
    }
    for stance in STANCES:
        data[stance] = pd.array([rows[t]["counts"][stance] for t in targets], dtype="Int64")
    data["actor_sets"] = pd.array([len(rows[t]["sets"]) for t in targets], dtype="Int64")
    data["state_sets"] = pd.array([len(rows[t].get("states", ())) for t in targets], dtype="Int64")
    data["is_contested"] = pd.array(
        [any(a != b for a in rows[t]["for"] for b in rows[t]["against"]) for t in targets],
        dtype="boolean",
    )
    data["para_ids"] = pd.array([", ".join(rows[t]["para_ids"]) for t in targets], dtype="string")
    return pd.DataFrame(data, index=pd.RangeIndex(len(targets)))


def _natural(symbol: str) -> tuple[object, ...]:
    """Return a sort key that orders the numbers inside a symbol numerically."""
    import re

    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", symbol))
