"""Tests for cwg_analysis.corpus: build, incremental skip, stale rebuild, atomic write, merge.

Every build writes into a temporary folder; the real data/ is never written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cwg_analysis import config, corpus, report
from cwg_analysis.corpus import build_corpus, is_corpus_stale
from cwg_analysis.errors import CorpusBuildError
from cwg_analysis.schemas import sort_table

SEED_NAME = "cwg-internet-11-final-report.txt"
SEED_TEXT = (config.RAW_REPORTS_DIR / SEED_NAME).read_text(encoding="utf-8")
HEADER = (
    "Council Working Group on International Internet-related Public Policy Issues\n"
    "{ordinal} meeting – Geneva, {dates}\n"
    "Document WG-Internet {meeting}/11-E\n"
    "{report_date}\n"
)


class Dirs:
    """The three folders of a build, in a temporary place."""

    def __init__(self, root: Path) -> None:
        self.raw = root / "raw"
        self.processed = root / "processed"
        self.reference = root / "reference"
        shutil.copytree(config.REFERENCE_DIR, self.reference)
        self.raw.mkdir()
        (self.raw / "README.md").write_text("not a report\n", encoding="utf-8")
        (self.raw / SEED_NAME).write_text(SEED_TEXT, encoding="utf-8")

    def build(self, **kwargs) -> corpus.BuildSummary:
        return build_corpus(
            raw_dir=self.raw, processed_dir=self.processed, reference_dir=self.reference, **kwargs
        )

    def is_stale(self) -> bool:
        return is_corpus_stale(self.raw, self.processed, self.reference)

    def table(self, name: str) -> pd.DataFrame:
        """Read a table as written (a folder of parts or one file), sorted by its key."""
        frame = pd.read_parquet(self.processed / f"{name}.parquet", dtype_backend="numpy_nullable")
        return sort_table(frame, name)

    def snapshot(self) -> dict[str, bytes]:
        """Return the bytes of every output file (not the cache)."""
        return {
            str(path.relative_to(self.processed)): path.read_bytes()
            for path in sorted(self.processed.rglob("*"))
            if path.is_file() and "_cache" not in path.parts
        }


@pytest.fixture
def dirs(tmp_path: Path) -> Dirs:
    return Dirs(tmp_path)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the name of every report the build reads."""
    calls: list[str] = []
    real = report.extract_tables

    def recording(path):
        calls.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(report, "extract_tables", recording)
    return calls


def renumbered(ordinal: str) -> str:
    """The seed report as the report of another meeting ("the twelfth meeting of CWG-Internet")."""
    return SEED_TEXT.replace("eleventh meeting", f"{ordinal.lower()} meeting")


def variant(meeting: int, ordinal: str, dates: str, report_date: str = "29 January 2018") -> str:
    """The seed report with a header block (meeting, dates, venue, symbol, report date)."""
    header = HEADER.format(ordinal=ordinal, dates=dates, meeting=meeting, report_date=report_date)
    return header + renumbered(ordinal)


def test_a_build_writes_every_table_of_the_seed_report(dirs, reads):
    summary = dirs.build()
    assert reads == [SEED_NAME]
    assert summary.reports_read == (SEED_NAME,)
    assert not summary.reports_skipped
    expected = {"meeting", "paragraphs", "documents", "submitters", "statements", "meetings"}
    assert expected <= {path.stem for path in dirs.processed.glob("*.parquet")}
    assert (dirs.processed / "paragraphs.parquet").is_dir()
    assert (dirs.processed / "meetings.parquet").is_file()
    assert dirs.table("meeting")["meeting"].tolist() == [11]
    assert summary.tables["paragraphs"] == len(dirs.table("paragraphs")) >= 60
    assert summary.tables["meetings"] == 21
    text = str(summary)
    assert text.startswith("corpus: 1 report(s) read, 0 unchanged, 0 skipped; 12 tables written")
    assert f"paragraphs {summary.tables['paragraphs']}" in text
    assert not dirs.is_stale()


def test_an_unchanged_report_is_not_read_again(dirs, reads):
    dirs.build()
    before = dirs.snapshot()
    summary = dirs.build()
    assert reads == [SEED_NAME]
    assert summary.is_up_to_date
    assert summary.reports_unchanged == (SEED_NAME,)
    assert "up to date" in str(summary)
    assert dirs.snapshot() == before


def test_a_touched_report_with_the_same_bytes_is_not_read_again(dirs, reads):
    dirs.build()
    path = dirs.raw / SEED_NAME
    stat = path.stat()
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert dirs.is_stale()
    summary = dirs.build()
    assert reads == [SEED_NAME]
    assert summary.reports_unchanged == (SEED_NAME,)
    assert not dirs.is_stale()


def test_a_changed_report_makes_the_corpus_stale_and_is_read_again(dirs, reads):
    dirs.build()
    before = len(dirs.table("paragraphs"))
    (dirs.raw / SEED_NAME).write_text(
        SEED_TEXT + "\n9.4.\tThe meeting closed at 17:00.\n", encoding="utf-8"
    )
    assert dirs.is_stale()
    summary = dirs.build()
    assert reads == [SEED_NAME, SEED_NAME]
    assert summary.reports_read == (SEED_NAME,)
    assert len(dirs.table("paragraphs")) == before + 1
    assert not list((dirs.processed / "_cache" / "chunks").iterdir())[1:]  # old chunk removed


def test_force_reads_every_report_again(dirs, reads):
    dirs.build()
    dirs.build(force=True)
    assert reads == [SEED_NAME, SEED_NAME]


def test_a_new_curated_value_rewrites_the_tables_without_reading_reports(dirs, reads):
    dirs.build()
    meetings = dirs.reference / "meetings.csv"
    meetings.write_text(
        meetings.read_text(encoding="utf-8").replace("Majed Al-Mazyed", "M. Al-Mazyed"),
        encoding="utf-8",
    )
    assert dirs.is_stale()
    summary = dirs.build()
    assert reads == [SEED_NAME]
    assert not summary.is_up_to_date
    chairs = dirs.table("meetings").set_index("meeting")["chair"]
    assert chairs[11] == "M. Al-Mazyed"


def test_a_failing_build_keeps_the_previous_corpus(dirs, monkeypatch):
    dirs.build()
    before = dirs.snapshot()
    manifest = (dirs.processed / "_cache" / "manifest.json").read_bytes()
    (dirs.raw / SEED_NAME).write_text(SEED_TEXT + "\n9.4.\tOne more.\n", encoding="utf-8")

    def failing(live, previous, cache, processed_dir, reference_dir, build_id):
        half = processed_dir / "paragraphs.parquet" / f".tmp-{build_id}-part-x.parquet"
        half.write_bytes(b"half a table")
        raise OSError("disk full")

    monkeypatch.setattr(corpus, "_write_outputs", failing)
    with pytest.raises(CorpusBuildError, match="the previous corpus is kept: OSError: disk full"):
        dirs.build()
    assert dirs.snapshot() == before
    assert (dirs.processed / "_cache" / "manifest.json").read_bytes() == manifest
    assert not list(dirs.processed.rglob(".tmp-*"))
    assert dirs.is_stale()
    monkeypatch.undo()
    assert dirs.build().reports_read == (SEED_NAME,)
    assert not dirs.is_stale()


def test_a_report_header_that_disagrees_with_meetings_csv_is_reported_and_curated_wins(dirs):
    (dirs.raw / SEED_NAME).write_text(variant(11, "Eleventh", "24-26 January 2018"), "utf-8")
    summary = dirs.build()
    assert not summary.reports_skipped
    disagreements = dirs.table("meeting_disagreements")
    assert disagreements.to_dict("records") == [
        {
            "meeting": 11,
            "field": "start_date",
            "curated_value": "2018-01-25",
            "parsed_value": "2018-01-24",
            "source_file": SEED_NAME,
        }
    ]
    assert f"meeting 11 start_date: meetings.csv '2018-01-25', {SEED_NAME} '2018-01-24'" in str(
        summary
    )
    meetings = dirs.table("meetings").set_index("meeting")
    assert meetings.loc[11, "start_date"] == pd.Timestamp("2018-01-25")
    assert meetings.loc[11, "end_date"] == pd.Timestamp("2018-01-26")


def test_a_new_report_adds_its_meeting_and_fills_only_missing_curated_values(dirs):
    text = variant(12, "Twelfth", "4-5 February 2019", report_date="6 February 2019")
    (dirs.raw / "cwg-internet-12.txt").write_text(text, encoding="utf-8")
    summary = dirs.build()
    assert summary.reports_read == ("cwg-internet-11-final-report.txt", "cwg-internet-12.txt")
    meetings = dirs.table("meetings").set_index("meeting")
    assert meetings.loc[12, "has_full_report"]
    assert meetings.loc[12, "report_file"] == "cwg-internet-12.txt"
    assert meetings.loc[12, "start_date"] == pd.Timestamp("2019-02-04")
    assert meetings.loc[12, "date_text"] == "February 2019"
    assert sorted(dirs.table("meeting")["meeting"].tolist()) == [11, 12]


def test_unreadable_and_duplicate_reports_are_skipped_with_their_reason(dirs):
    (dirs.raw / "empty.txt").write_text("", encoding="utf-8")
    (dirs.raw / "zz-copy.txt").write_text(SEED_TEXT, encoding="utf-8")
    summary = dirs.build()
    skipped = dict(summary.reports_skipped)
    assert skipped["empty.txt"].startswith("cannot be read:")
    assert skipped["zz-copy.txt"] == f"same bytes as {SEED_NAME}"
    assert dirs.table("meeting")["meeting"].tolist() == [11]
    assert "skipped empty.txt: cannot be read:" in str(summary)


def test_two_reports_of_one_meeting_keep_the_first_by_file_name(dirs):
    (dirs.raw / "zz-other-11.txt").write_text(SEED_TEXT + "\n9.4.\tMore.\n", encoding="utf-8")
    summary = dirs.build()
    skipped = dict(summary.reports_skipped)
    assert skipped["zz-other-11.txt"] == f"meeting 11 is already read from {SEED_NAME}"
    assert dirs.table("meeting")["source_file"].tolist() == [SEED_NAME]


def test_a_process_pool_gives_the_same_tables_as_one_process(tmp_path):
    ordinals = ["Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth"]
    folders = []
    for jobs, name in ((1, "serial"), (2, "pool")):
        dirs = Dirs(tmp_path / name)
        for meeting, ordinal in enumerate(ordinals, start=12):
            (dirs.raw / f"report-{meeting}.txt").write_text(renumbered(ordinal), "utf-8")
        summary = dirs.build(jobs=jobs)
        assert len(summary.reports_read) == 7
        assert not summary.reports_skipped
        folders.append(dirs)
    serial, pool = folders
    tables = {path.name for path in serial.processed.glob("*.parquet")}
    assert tables == {path.name for path in pool.processed.glob("*.parquet")}
    for name in ("paragraphs", "statements", "documents", "submitters", "meetings"):
        pd.testing.assert_frame_equal(serial.table(name), pool.table(name))
    assert sorted(pool.table("meeting")["meeting"].tolist()) == [11, *range(12, 18)]


def test_a_change_rewrites_only_the_part_holding_the_changed_report(dirs, reads):
    (dirs.raw / "report-12.txt").write_text(renumbered("Twelfth"), encoding="utf-8")
    dirs.build(jobs=1)  # one batch per report here: each report has its own part
    folder = dirs.processed / "paragraphs.parquet"
    before = {path.name: path.stat().st_mtime_ns for path in folder.glob("part-*.parquet")}
    assert len(before) == 2
    (dirs.raw / "report-12.txt").write_text(renumbered("Twelfth") + "\n9.4.\tMore.\n", "utf-8")
    summary = dirs.build(jobs=1)
    assert summary.reports_read == ("report-12.txt",)
    after = {path.name: path.stat().st_mtime_ns for path in folder.glob("part-*.parquet")}
    kept = set(before) & set(after)
    assert len(kept) == 1 and len(after) == 2
    assert all(before[name] == after[name] for name in kept)
    paragraphs = dirs.table("paragraphs")
    assert paragraphs.groupby("meeting").size().to_dict() == {
        11: summary.tables["paragraphs"] // 2,
        12: summary.tables["paragraphs"] // 2 + 1,
    }


def test_the_build_writes_every_table_the_schemas_say_it_makes():
    from cwg_analysis.corpus import _output_files
    from cwg_analysis.schemas import TABLES

    made = {spec.file for spec in TABLES.values() if spec.origin != "reference"}
    assert sorted(_output_files()) == sorted(made)
