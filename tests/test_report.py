"""read_report: one report file as the tables of the data contract; the CLI prints them."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from cwg_analysis import config, read_report, schemas
from cwg_analysis.cli import main
from cwg_analysis.report import TABLE_NAMES, Report

SEED = config.RAW_REPORTS_DIR / "cwg-internet-11-final-report.txt"


@pytest.fixture(scope="module")
def report():
    return read_report(SEED)


def test_tables_come_in_contract_order_with_every_meeting_column_set(report):
    tables = report.tables()
    assert (
        list(tables)
        == list(TABLE_NAMES)
        == [
            "meeting",
            "paragraphs",
            "dropped",
            "documents",
            "submitters",
            "statements",
            "consultation",
            "unparsed",
        ]
    )
    for name, frame in tables.items():
        assert (frame["meeting"] == 11).all(), name


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_every_table_passes_its_schema_with_columns_in_schema_order(report, name):
    frame = report.tables()[name]
    assert list(frame.columns) == schemas.TABLES[name].columns
    assert schemas.validate_table(frame, name, f"{SEED.name}:{name}") == []
    assert isinstance(frame.index, pd.RangeIndex)


def test_the_seed_gives_its_counts_of_rows(report):
    counts = {name: len(frame) for name, frame in report.tables().items()}
    assert counts == {
        "meeting": 1,
        "paragraphs": 108,
        "dropped": 6,
        "documents": 11,
        "submitters": 14,
        "statements": 79,
        "consultation": 4,
        "unparsed": 40,
    }


def test_a_report_is_frozen_and_knows_its_file(report):
    assert report.path == SEED
    assert report.sha256 == report.meeting["source_sha256"].iloc[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.statements = report.statements.head(0)
    assert isinstance(report, Report)


def test_a_report_without_a_meeting_number_has_null_meeting_columns(tmp_path):
    path = tmp_path / "unnumbered.txt"
    path.write_text(
        "1. Discussions\n1.1 Some Member States supported the proposal in CWG-Internet-12/3.\n",
        encoding="utf-8",
    )
    unnumbered = read_report(path)
    assert unnumbered.meeting["meeting"].isna().all()
    for name in ("documents", "statements", "unparsed"):
        assert unnumbered.tables()[name]["meeting"].isna().all(), name
    assert unnumbered.statements[["stance", "target_symbol"]].values.tolist() == [
        ["support", "CWG-Internet-12/3"]
    ]


def test_cli_read_prints_every_table(capsys):
    assert main(["-q", "read", str(SEED)]) == 0
    out = capsys.readouterr().out
    for name, rows in [
        ("statements", 79),
        ("submitters", 14),
        ("consultation", 4),
        ("unparsed", 40),
        ("documents", 11),
    ]:
        assert f"== {name} ({rows} rows)" in out
    assert "Bridging the Digital Gender Divide" in out


def test_cli_read_writes_each_table_as_csv(tmp_path):
    assert main(["-q", "read", str(SEED), "--out", str(tmp_path)]) == 0
    assert sorted(path.stem for path in tmp_path.glob("*.csv")) == sorted(TABLE_NAMES)
    statements = pd.read_csv(tmp_path / "statements.csv", dtype="string")
    request = statements[statements["para_id"] == "7.2.1"].iloc[0]
    assert (request["country_code"], request["stance"]) == ("IND", "propose")
