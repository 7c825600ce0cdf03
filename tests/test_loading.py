"""Tests for cwg_analysis.loading: every loader, the references between tables, validate_data.

Every test works on a copy of data/reference and data/raw/reports in a temporary folder, so
the real data/ is never written.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from project_data import copy_data, use_root

from cwg_analysis import loading
from cwg_analysis.corpus import build_corpus
from cwg_analysis.errors import DataValidationError
from cwg_analysis.schemas import TABLES, sort_table

LOADERS = {name: spec.loader_name for name, spec in TABLES.items()}
VOCABULARY_COLUMNS = {
    name: [c for c, f in spec.model.to_schema().columns.items() if str(f.dtype) == "category"]
    for name, spec in TABLES.items()
}


EXAMPLE_ROWS = {
    "meeting_disagreements": {
        "meeting": 11,
        "field": "venue",
        "curated_value": "Geneva",
        "parsed_value": "Busan",
        "source_file": "cwg-internet-11-final-report.txt",
    }
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the data whose corpus the loaders have built once."""
    root = copy_data(tmp_path_factory.mktemp("built"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_root(monkeypatch, root)
        assert loading.validate_data() == []
        yield root


@pytest.fixture
def data(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the built data, free to break."""
    root = tmp_path / "root"
    shutil.copytree(built / "data", root / "data")
    use_root(monkeypatch, root)
    build_corpus()  # nothing to do unless the code changed since the module fixture built it
    return root / "data"


def edit_csv(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def loaded(built: Path) -> dict[str, pd.DataFrame]:
    return {name: getattr(loading, loader)() for name, loader in LOADERS.items()}


@pytest.mark.parametrize("name", list(TABLES))
def test_every_loader_returns_nullable_columns_in_schema_order_with_a_range_index(name, loaded):
    frame = loaded[name]
    assert list(frame.columns) == TABLES[name].columns
    assert "object" not in {str(dtype) for dtype in frame.dtypes}
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame.index.start == 0


@pytest.mark.parametrize("name", list(TABLES))
def test_every_loader_returns_rows_sorted_by_a_unique_key(name, loaded):
    frame = loaded[name]
    key = TABLES[name].key
    assert not frame.duplicated(key).any()
    pd.testing.assert_frame_equal(frame, sort_table(frame, name))


@pytest.mark.parametrize("name", list(TABLES))
def test_every_loader_returns_a_fresh_frame(name, built):
    loader = getattr(loading, LOADERS[name])
    first = loader()
    first.columns = [f"changed_{column}" for column in first.columns]
    assert list(loader().columns) == TABLES[name].columns


@pytest.mark.parametrize(
    ("name", "column"),
    [(name, column) for name, columns in VOCABULARY_COLUMNS.items() for column in columns],
)
def test_an_unknown_vocabulary_value_raises_with_the_value(name, column, data):
    spec = TABLES[name]
    if spec.origin == "reference":
        path = data / "reference" / spec.file
        frame = loading.read_reference_csv(path)
        frame.loc[0, column] = "no_such_value"
        frame.to_csv(path, index=False)
        where = f"{spec.file}:2"
    else:
        folder = data / "processed" / spec.file
        path = next(folder.glob("part-*.parquet")) if folder.is_dir() else folder
        frame = pd.read_parquet(path)
        if frame.empty:  # no disagreement in the seed corpus: add one
            frame = pd.DataFrame([EXAMPLE_ROWS[name]])
        frame[column] = frame[column].astype("string")
        frame.loc[0, column] = "no_such_value"
        frame.to_parquet(path, index=False)
        where = f"{spec.file}:row 0"
    loader = getattr(loading, LOADERS[name])
    with pytest.raises(
        DataValidationError,
        match=rf"{where}: column {column}: not in the vocabulary: 'no_such_value'",
    ):
        loader()


def test_meetings_has_every_meeting_the_fact_base_places_with_dates_for_2_to_11(built):
    meetings = loading.load_meetings()
    assert meetings["meeting"].tolist() == list(range(1, 22))
    dated = meetings[meetings["meeting"].between(2, 11)]
    assert dated["start_date"].notna().all()
    assert dated["end_date"].notna().all()
    assert (dated["end_date"] >= dated["start_date"]).all()
    later = meetings[meetings["meeting"] >= 12]
    assert later["date_text"].notna().all()
    assert later["is_uncertain"].all()
    first = meetings.set_index("meeting").loc[1]
    assert pd.isna(first["start_date"])
    assert first["is_uncertain"]


def test_the_eleventh_meeting_links_its_full_report(built):
    meetings = loading.load_meetings().set_index("meeting")
    eleventh = meetings.loc[11]
    assert eleventh["has_full_report"]
    assert eleventh["report_file"] == "cwg-internet-11-final-report.txt"
    assert eleventh["start_date"] == pd.Timestamp("2018-01-25")
    assert eleventh["report_symbol"] == "CWG-Internet-11/11"
    assert eleventh["chair"] == "Majed Al-Mazyed"
    assert meetings["has_full_report"].sum() == 1
    assert meetings.loc[10, "acting_chair"] == "Charles Semapondo"


def test_consultation_responses_give_the_three_published_totals(built):
    responses = loading.load_consultation_responses()
    totals = responses.groupby("consultation_id")["responses"].sum().to_dict()
    assert totals == {"2016-02": 49, "2016-10": 46, "2017-10": 52}
    consultations = loading.load_consultations().set_index("consultation_id")
    for consultation_id, total in totals.items():
        assert consultations.loc[consultation_id, "responses_total"] == total


def test_combined_stakeholder_counts_are_kept_whole_with_the_source_label(built):
    responses = loading.load_consultation_responses().set_index(
        ["consultation_id", "stakeholder_group"]
    )
    combined = responses.loc[("2017-10", "civil_society_and_technical_community")]
    assert combined["responses"] == 22
    assert combined["source_label"] == "Civil Society and Technical Community entities"
    assert responses.loc[("2016-02", "private_sector_and_technical_community"), "responses"] == 14
    assert ("2016-02", "technical_community") not in responses.index


def test_the_seed_report_tables_are_loaded_with_their_references(built):
    submitters = loading.load_submitters()
    eleven_three = submitters[submitters["doc_symbol"] == "CWG-Internet-11/3"]
    assert eleven_three["country_code"].tolist() == ["RUS", "ARM", "AZE", "BLR", "KGZ"]
    paragraphs = loading.load_paragraphs()
    assert (paragraphs["meeting"] == 11).all()
    assert len(paragraphs) >= 60
    documents = loading.load_documents()
    assert "CWG-Internet-11/6" in documents["doc_symbol"].tolist()


def test_namibia_is_not_read_as_missing(built):
    countries = loading.load_countries().set_index("country_code")
    assert countries.loc["NAM", "name"] == "Namibia"
    assert countries.loc["NAM", "itu_region"] == "D"


def test_documents_and_consultations_are_tagged_with_topics(built):
    documents = loading.load_document_topics()
    tags = set(zip(documents["doc_symbol"], documents["topic_id"], strict=True))
    assert ("CWG-Internet-11/3", "otts") in tags
    assert ("CWG-Internet-11/4", "child_protection") in tags
    assert ("CWG-Internet-11/8", "digital_gender_divide") in tags
    assert ("CWG-Internet-11/6", "enhanced_cooperation") in tags
    consultations = loading.load_consultation_topics()
    tags = set(zip(consultations["consultation_id"], consultations["topic_id"], strict=True))
    assert ("2017-10", "digital_gender_divide") in tags
    assert ("2015-06", "ixps") in tags
    assert ("2017-06", "otts") in tags
    assert ("2024-10", "multilingualisation") in tags


def test_a_bad_csv_value_names_the_file_line_column_and_value(data):
    edit_csv(data / "reference" / "meetings.csv", "2013-11-11", "2013-13-45")
    with pytest.raises(
        DataValidationError,
        match=r"meetings.csv:4: column start_date: not an ISO date: '2013-13-45'",
    ):
        loading.load_consultations()


def test_a_reference_to_a_missing_country_is_reported_with_its_line(data):
    edit_csv(data / "reference" / "group_members.csv", "ATU,AGO,", "ATU,XXX,")
    with pytest.raises(
        DataValidationError,
        match=r"group_members.csv:\d+: column country_code: not in countries: 'XXX'",
    ):
        loading.load_group_members()


def test_a_duplicate_membership_is_reported_with_both_key_values(data):
    path = data / "reference" / "group_members.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"fails duplicate key: \('ATU', 'AGO'\)"):
        loading.load_group_members()


def test_a_statement_about_an_unknown_document_is_reported(data):
    path = next((data / "processed" / "statements.parquet").glob("part-*.parquet"))
    frame = pd.read_parquet(path)
    frame.loc[0, "target_symbol"] = "CWG-Internet-99/1"
    frame.to_parquet(path, index=False)
    with pytest.raises(
        DataValidationError,
        match=r"statements.parquet:row 0: column meeting/target_symbol: not in documents",
    ):
        loading.load_statements()


def test_validate_data_returns_every_problem_of_every_table_at_once(data):
    edit_csv(data / "reference" / "topics.csv", "res1305,i,", "res1305,xiii,")
    edit_csv(
        data / "reference" / "countries.csv",
        "NAM,Namibia,Republic of Namibia,D,",
        "NAM,Namibia,Republic of Namibia,F,",
    )
    problems = loading.validate_data()
    assert any(p.startswith("topics.csv:2: column res1305_item: fails isin") for p in problems)
    assert "countries.csv:126: column itu_region: not in the vocabulary: 'F'" in problems
    assert len(problems) == len(set(problems))


def test_validate_data_is_empty_for_the_project_data(built):
    assert loading.validate_data() == []


def test_loaders_rebuild_the_corpus_when_a_report_changes(data):
    report = data / "raw" / "reports" / "cwg-internet-11-final-report.txt"
    before = len(loading.load_paragraphs())
    report.write_text(
        report.read_text(encoding="utf-8") + "\n9.4.\tThe meeting closed at 17:00.\n",
        encoding="utf-8",
    )
    paragraphs = loading.load_paragraphs()
    assert len(paragraphs) == before + 1
    assert paragraphs["para_id"].iloc[-1] == "9.4"
