"""Tests for the fast load: files that passed every check are read without checking them again.

The fast path (trust a build's or an earlier check's files, read, cast, sort) must return
exactly what the full path (every check) returns, and must never hide a change: any file that
differs from what was checked is checked again. Every test works on a copy of the data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from project_data import copy_data, use_root

from cwg_analysis import corpus, loading
from cwg_analysis.errors import DataValidationError
from cwg_analysis.schemas import TABLES, natural_key, sort_table
from cwg_analysis.synthetic import write_reports

LOADERS = {name: spec.loader_name for name, spec in TABLES.items()}
CORPUS_TABLES = [name for name, spec in TABLES.items() if spec.origin != "reference"]


def make_root(root: Path, synthetic: int = 0) -> Path:
    """Copy the curated tables and the real report under ``root``, with synthetic reports."""
    copy_data(root)
    if synthetic:
        generated = root / "synthetic"
        write_reports(generated, synthetic, seed=3, first_meeting=100)
        for path in generated.glob("*.txt"):
            shutil.copy2(path, root / "data" / "raw" / "reports" / path.name)
    return root


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the real data, built."""
    root = make_root(tmp_path_factory.mktemp("real"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_root(monkeypatch, root)
        corpus.build_corpus(jobs=1)
        yield root


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real data and eight synthetic reports, built in several parts."""
    root = make_root(tmp_path_factory.mktemp("synthetic"), synthetic=8)
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_root(monkeypatch, root)
        corpus.build_corpus(jobs=1)
        yield root


@pytest.fixture
def data(real: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the built real data, free to break."""
    shutil.copytree(real / "data", tmp_path / "data")
    return use_root(monkeypatch, tmp_path)


def records(data: Path) -> dict[str, str]:
    path = data / "processed" / "_cache" / "validated.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def load_fast(name: str) -> pd.DataFrame:
    """Load a table in a fresh cache and check that the fast path gave it."""
    loading._CACHE.clear()
    frame = getattr(loading, LOADERS[name])()
    assert not loading._CACHE[name].checked, f"{name} was checked in full"
    return frame


def load_full(name: str) -> pd.DataFrame:
    """Load a table in a fresh cache with every check."""
    loading._CACHE.clear()
    frame = loading._table(name, full=True)
    assert loading._CACHE[name].checked
    return frame


# --- the fast path returns what the full path returns -----------------------------------------


@pytest.mark.parametrize("root", ["real", "synthetic"])
@pytest.mark.parametrize("trusted_by", ["build", "earlier check"])
def test_the_fast_path_returns_exactly_what_every_check_returns(
    root, trusted_by, request, monkeypatch
):
    data = use_root(monkeypatch, request.getfixturevalue(root))
    assert loading.validate_data() == []  # records every table as checked
    if trusted_by == "build":  # only the curated tables keep their record
        kept = {name: digest for name, digest in records(data).items() if loading._is_curated(name)}
        (data / "processed" / "_cache" / "validated.json").write_text(json.dumps(kept))
    for name in TABLES:
        pd.testing.assert_frame_equal(load_fast(name), load_full(name))


def test_the_fast_path_sorts_parts_written_out_of_key_order(data):
    for name in ("paragraphs", "documents", "statements"):
        for part in (data / "processed" / TABLES[name].file).glob("part-*.parquet"):
            frame = pd.read_parquet(part, dtype_backend="numpy_nullable")
            frame.iloc[::-1].to_parquet(part, index=False)
    assert loading.validate_data() == []  # checks the reversed parts and records them
    written = pd.read_parquet(data / "processed" / "statements.parquet")
    fast = load_fast("statements")
    assert not written["para_id"].equals(fast["para_id"])
    pd.testing.assert_frame_equal(fast, load_full("statements"))


def test_a_first_load_after_a_build_trusts_the_build_and_checks_the_curated_tables(data):
    (data / "processed" / "_cache" / "validated.json").unlink(missing_ok=True)
    statements = loading.load_statements()
    assert not loading._CACHE["statements"].checked
    assert loading._CACHE["countries"].checked  # a curated table it refers to, checked once
    # statements is recorded too once its references to countries.csv are checked
    assert set(records(data)) == {"countries", "groups", "statements"}
    assert len(statements) > 0


# --- a change is always checked ---------------------------------------------------------------


def test_an_edited_part_is_checked_again_and_trusted_once_it_passed(data):
    part = next((data / "processed" / "statements.parquet").glob("part-*.parquet"))
    frame = pd.read_parquet(part, dtype_backend="numpy_nullable")  # the types as built
    frame.loc[0, "sentence"] = "An edited sentence."
    frame.to_parquet(part, index=False)
    loading._CACHE.clear()
    edited = loading.load_statements()
    assert loading._CACHE["statements"].checked
    assert "An edited sentence." in edited["sentence"].tolist()
    pd.testing.assert_frame_equal(load_fast("statements"), edited)


def test_an_edited_part_that_breaks_a_reference_is_reported(data):
    part = next((data / "processed" / "documents.parquet").glob("part-*.parquet"))
    frame = pd.read_parquet(part)
    frame.loc[0, "para_id"] = "99.99"
    frame.to_parquet(part, index=False)
    with pytest.raises(DataValidationError, match=r"documents\.parquet:row 0: .*not in paragraphs"):
        loading.load_statements()  # statements refers to documents: checked again too


def test_a_built_state_missing_from_countries_csv_is_reported_at_the_first_load(tmp_path):
    # The build reads "Taiwan" through pycountry; countries.csv (ITU Member States) lacks TWN.
    root = make_root(tmp_path)
    report = root / "data" / "raw" / "reports" / "cwg-internet-11-final-report.txt"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("11/3 from the Russian Federation", "11/3 from Taiwan"), "utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_root(monkeypatch, root)
        corpus.build_corpus(jobs=1)
        loading._CACHE.clear()
        with pytest.raises(
            DataValidationError, match=r"submitters\.parquet:row \d+: .*not in countries: 'TWN'"
        ):
            loading.load_submitters()


def test_a_part_added_by_hand_is_checked(data):
    folder = data / "processed" / "statements.parquet"
    part = next(folder.glob("part-*.parquet"))
    shutil.copy(part, folder / "part-copy.parquet")
    with pytest.raises(DataValidationError, match=r"statements\.parquet:row \d+: fails duplicate"):
        loading.load_statements()


def test_a_broken_curated_table_under_a_corpus_table_is_reported(data):
    loading.load_statements()
    path = data / "reference" / "groups.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("itu_region", "continent", 1))
    loading._CACHE.clear()
    with pytest.raises(
        DataValidationError, match=r"groups\.csv:2: column group_kind: not in the vocabulary"
    ):
        loading.load_statements()


def test_validate_data_checks_files_the_loaders_trust(data):
    assert loading.validate_data() == []
    path = data / "reference" / "topics.csv"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "res1305,i," in text
    path.write_text(text.replace("res1305,i,", "res1305,q,", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time
    loading._CACHE.clear()
    assert "q" in set(loading.load_topics()["res1305_item"].dropna())  # trusted by its stamps
    problems = loading.validate_data()
    assert any(
        re.match(r"topics\.csv:\d+: column res1305_item: fails isin", p) for p in problems
    ), problems


def test_a_record_of_other_checking_code_is_not_trusted(data, monkeypatch):
    assert loading.validate_data() == []
    monkeypatch.setattr(loading, "_checker", lambda: ["another version"])
    loading._CACHE.clear()
    loading.load_countries()
    assert loading._CACHE["countries"].checked


# --- staleness without hashing the code -------------------------------------------------------
# The sources are taken afresh (the package may be edited while the tests run).


def test_an_unchanged_checkout_is_not_stale_without_reading_the_code(data, monkeypatch):
    corpus.build_corpus()  # nothing to do unless the code changed since the module's build

    def no_fingerprint():
        raise AssertionError("the code fingerprint was computed")

    monkeypatch.setattr(corpus, "_build_sources", no_fingerprint)
    assert not corpus.is_corpus_stale()


def test_a_source_whose_time_changed_is_hashed_and_only_new_bytes_make_it_stale(data):
    reference = data / "reference"
    _, sources = corpus._code_fingerprint(reference)
    assert not corpus._sources_changed(sources, reference)
    touched = json.loads(json.dumps(sources))
    entry = touched["package"]["report.py"]
    entry[1] -= 10**9  # recorded a second earlier: the file is hashed, its bytes are the same
    assert not corpus._sources_changed(touched, reference)
    entry[2] = "0" * 64  # and with other bytes recorded, the file changed
    assert corpus._sources_changed(touched, reference)
    (reference / "topics.csv").write_text("topic_id\n", encoding="utf-8")
    assert corpus._sources_changed(sources, reference)


def test_a_new_cue_vocabulary_makes_the_corpus_stale(data):
    _, sources = corpus._code_fingerprint(data / "reference")
    yaml = [name for name in sources["package"] if name.endswith(".yaml")]
    assert yaml, "the package has cue vocabularies"
    del sources["package"][yaml[0]]
    assert corpus._sources_changed(sources, data / "reference")


def test_the_build_records_the_stamps_of_what_it_wrote(data):
    written = corpus._read_manifest(data / "processed")["outputs"]
    assert set(written) == {TABLES[name].file for name in CORPUS_TABLES}
    for file, stamps in written.items():
        assert stamps == corpus.table_stamps(data / "processed" / file)


# --- the sort ---------------------------------------------------------------------------------


def zfill_key(text: str) -> str:
    """The natural key as defined: every run of digits padded to ten with zeros."""
    return re.sub(r"\d+", lambda match: match.group().zfill(10), text)


@given(st.lists(st.text(alphabet="0123456789٣.+-/aZ", max_size=30), max_size=20))
def test_natural_key_pads_every_run_of_digits_like_zfill(texts):
    keys = natural_key(pd.Series(texts, dtype="string"))
    assert keys.tolist() == [zfill_key(text) for text in texts]


def test_natural_key_keeps_nulls_and_long_numbers():
    keys = natural_key(pd.Series(["12345678901x", None, "5.10"], dtype="string"))
    assert keys.tolist()[0] == "12345678901x"
    assert keys.isna().tolist() == [False, True, False]
    assert keys.tolist()[2] == "0000000005.0000000010"


def reference_sort(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Sort with pandas and the defining natural key (stable), as a reference."""
    key = TABLES[name].key
    return frame.sort_values(
        key,
        key=lambda column: (
            column.map(zfill_key, na_action="ignore").astype("string")
            if column.dtype == "string"
            else column
        ),
        kind="stable",
    ).reset_index(drop=True)


@pytest.mark.parametrize("name", list(TABLES))
def test_sorting_a_shuffled_table_gives_the_reference_order(name, synthetic, monkeypatch):
    use_root(monkeypatch, synthetic)
    frame = loading._table(name)
    shuffled = frame.sample(frac=1, random_state=7)
    pd.testing.assert_frame_equal(sort_table(shuffled, name), reference_sort(shuffled, name))
    pd.testing.assert_frame_equal(sort_table(shuffled, name), frame)


def test_sorting_puts_nulls_last_and_keeps_the_order_of_equal_keys():
    frame = pd.DataFrame(
        {
            "meeting": pd.array([2, None, 2, 1, 2], dtype="Int64"),
            "para_id": pd.array(["05", "1", "5", None, "4+1"], dtype="string"),
            "reason": pd.array(["a", "b", "c", "d", "e"], dtype="string"),
            "text": pd.array(["t"] * 5, dtype="string"),
        }
    )
    ordered = sort_table(frame, "unparsed")
    assert ordered["reason"].tolist() == ["d", "e", "a", "c", "b"]
    pd.testing.assert_frame_equal(ordered, reference_sort(frame, "unparsed"))


def test_sorting_parts_read_out_of_order_gives_the_reference_order():
    """Long runs of ordered rows (parts) are put together from slices: same result as a take."""
    parts = [
        pd.DataFrame(
            {
                "meeting": pd.array([meeting] * 1500, dtype="Int64"),
                "para_id": pd.array([f"{i // 100}.{i % 100}" for i in range(1500)], "string"),
                "reason": pd.array([f"r{meeting}"] * 1500, dtype="string"),
                "text": pd.array([None, "t"] * 750, dtype="string"),
            }
        )
        for meeting in (3, 1, 2)
    ]
    frame = pd.concat([sort_table(part, "unparsed") for part in parts], ignore_index=True)
    ordered = sort_table(frame, "unparsed")
    assert ordered["meeting"].tolist() == [1] * 1500 + [2] * 1500 + [3] * 1500
    pd.testing.assert_frame_equal(ordered, reference_sort(frame, "unparsed"))
