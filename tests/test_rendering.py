"""Tests of cwg_analysis.rendering: notebooks in, self-contained code-free HTML out.

The notebooks are small ones made here or kept in tests/data/rendering/ (a sample with a table,
hostile data strings, a Styler, a figure with alt text, and a meeting-parameterised brief).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import date
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from cwg_analysis import __version__, rendering
from cwg_analysis.errors import RenderError
from cwg_analysis.rendering import (
    INDEX_NAME,
    RenderJob,
    find_render_jobs,
    fingerprint_data,
    render_reports,
)

SAMPLES = Path(__file__).parent / "data" / "rendering"
SEED_REPORT = (
    Path(__file__).parents[1] / "data" / "raw" / "reports" / "cwg-internet-11-final-report.txt"
)
RENDER_DATE = date(2018, 1, 29)
HOSTILE = (
    '<script>window.__xss = "script"</script>',
    "<img src=x onerror=\"window.__xss = 'img'\">",
)


def write_notebook(path: Path, *cells: str, parameters: str | None = None) -> Path:
    """Write a notebook: a markdown title cell, then code cells (and a parameters cell)."""
    notebook_cells = [new_markdown_cell(f"# {path.stem}\n\nA test notebook named {path.stem}.")]
    if parameters is not None:
        cell = new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        notebook_cells.append(cell)
    notebook_cells.extend(new_code_cell(source) for source in cells)
    notebook = new_notebook(cells=notebook_cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, path)
    return path


def make_project(root: Path) -> tuple[Path, Path, Path]:
    """Return (notebooks, data, output) folders: the sample notebooks and the seed report."""
    notebooks, data, output = root / "notebooks", root / "data", root / "reports"
    shutil.copytree(SAMPLES, notebooks)
    (data / "raw" / "reports").mkdir(parents=True)
    shutil.copy(SEED_REPORT, data / "raw" / "reports")
    return notebooks, data, output


def render(notebooks: Path, data: Path, output: Path, meetings=(11,), **kwargs):
    """Render with the test defaults: two workers, a fixed date, stubbed meetings, no corpus."""
    kwargs.setdefault("render_date", RENDER_DATE)
    kwargs.setdefault("prepare_data", None)
    return render_reports(
        jobs=2,
        notebooks_dir=notebooks,
        output_dir=output,
        data_dir=data,
        list_meetings=lambda: list(meetings),
        **kwargs,
    )


def page(path: Path) -> BeautifulSoup:
    """Return a rendered page, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Render the sample notebooks once (meetings 11 and 12) and return the output folder."""
    notebooks, data, output = make_project(tmp_path_factory.mktemp("sample"))
    summary = render(notebooks, data, output, meetings=(12, 11))
    return output, summary, data


# --- planning: no notebook is executed ---------------------------------------------------------


def test_fingerprint_changes_with_any_data_byte_and_ignores_caches(tmp_path):
    data = tmp_path / "data"
    (data / "raw" / "reports").mkdir(parents=True)
    shutil.copy(SEED_REPORT, data / "raw" / "reports")
    before = fingerprint_data(data)
    (data / ".cache").mkdir()
    (data / ".cache" / "x").write_text("scratch")
    (data / "processed" / "_cache" / "chunks" / "0add35ce").mkdir(parents=True)
    (data / "processed" / "_cache" / "chunks" / "0add35ce" / "statements.parquet").write_text("x")
    assert fingerprint_data(data) == before
    (data / "processed" / "statements.parquet").write_text("x")
    assert fingerprint_data(data) != before
    (data / "processed" / "statements.parquet").unlink()
    report = data / "raw" / "reports" / SEED_REPORT.name
    report.chmod(0o644)
    text = report.read_bytes()
    report.write_bytes(text.replace(b"CWG-Internet-11/7", b"CWG-Internet-11/8", 1))
    assert report.read_bytes() != text
    changed = fingerprint_data(data)
    assert changed != before
    assert re.fullmatch(r"[0-9a-f]{64}", changed)


def test_a_meeting_notebook_becomes_one_job_per_meeting_and_others_one_job(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "nb")
    jobs = find_render_jobs(tmp_path / "nb", lambda: [12, 11, 12])
    assert [job.name for job in jobs] == [
        "01-sample.html",
        "05-meeting-11.html",
        "05-meeting-12.html",
    ]
    assert jobs[1] == RenderJob(tmp_path / "nb" / "05-meeting.ipynb", (("meeting", 11),))
    assert jobs[1].label == "05-meeting.ipynb (meeting=11)"


def test_meetings_are_not_looked_up_without_a_meeting_notebook(tmp_path):
    write_notebook(tmp_path / "01-plain.ipynb", "1 + 1")

    def fail() -> list[int]:
        raise AssertionError("looked up")

    assert [job.name for job in find_render_jobs(tmp_path, fail)] == ["01-plain.html"]


def test_an_unparsable_parameters_cell_is_an_error_naming_notebook_and_cell(tmp_path):
    write_notebook(tmp_path / "05-bad.ipynb", "meeting", parameters="meeting = = 11")
    with pytest.raises(
        RenderError, match=r"05-bad\.ipynb:cell 2: the parameters cell is not valid"
    ):
        find_render_jobs(tmp_path, lambda: [11])


def test_only_with_an_unknown_name_is_an_error_listing_the_reports(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    with pytest.raises(
        RenderError, match=r"render:only: no such report: 02-nothing \(reports: 01-sample"
    ):
        render(notebooks, data, output, only=["02-nothing"])


def test_fewer_than_one_job_is_an_error(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    with pytest.raises(RenderError, match=r"render:jobs: must be at least 1: 0"):
        render_reports(jobs=0, notebooks_dir=notebooks, output_dir=output, data_dir=data)


# --- the sample collection ---------------------------------------------------------------------


@pytest.mark.slow
def test_every_notebook_and_meeting_becomes_a_page_listed_in_the_index(sample):
    output, summary, _ = sample
    assert summary.rendered == ("01-sample.html", "05-meeting-11.html", "05-meeting-12.html")
    assert summary.cached == ()
    assert summary.index_written
    assert str(summary).startswith("render: 3 reports (3 rendered, 0 unchanged) in ")
    index = page(output / INDEX_NAME)
    links = [(a["href"], a.get_text()) for a in index.select("ul.report-list a")]
    assert links == [
        ("01-sample.html", "Positions on contributions"),
        ("05-meeting-11.html", "Meeting brief (meeting 11)"),
        ("05-meeting-12.html", "Meeting brief (meeting 12)"),
    ]
    summaries = [p.get_text() for p in index.select("ul.report-list p")]
    assert summaries[0] == (
        "How the Group received the contributions to its eleventh meeting, one row per document."
    )


@pytest.mark.slow
def test_the_meeting_parameter_reaches_the_notebook(sample):
    output, _, _ = sample
    assert "Brief for meeting 11" in page(output / "05-meeting-11.html").get_text()
    assert "Brief for meeting 12" in page(output / "05-meeting-12.html").get_text()
    assert page(output / "05-meeting-12.html").title.get_text() == "Meeting brief (meeting 12)"


@pytest.mark.slow
def test_pages_carry_no_code_no_prompt_and_no_script(sample):
    output, _, _ = sample
    notebook = nbformat.read(SAMPLES / "01-sample.ipynb", as_version=4)
    soup = page(output / "01-sample.html")
    text = soup.get_text()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.source.splitlines()[0] not in text
    assert "In [" not in text and "Out[" not in text
    assert soup.find_all("script") == []
    assert not any(
        attribute.startswith("on") for tag in soup.find_all(True) for attribute in tag.attrs
    )


@pytest.mark.slow
def test_pages_load_nothing_from_the_network(sample):
    output, _, _ = sample
    for path in sorted(output.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find_all(["script", "link", "iframe"]) == [], path.name
        for tag in soup.find_all(src=True):
            assert tag["src"].startswith("data:image/"), path.name
        for tag in soup.find_all(href=True):
            assert tag.name == "a" and not tag["href"].startswith(("http:", "https:", "//")), (
                path.name
            )
        assert not re.search(r"require\.js|mathjax|mermaid|cdn\.|unpkg|jsdelivr", html, re.I), (
            path.name
        )
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "default-src 'none'" in policy and "img-src data:" in policy


@pytest.mark.slow
def test_hostile_data_strings_render_as_text_in_every_table(sample):
    output, _, _ = sample
    soup = page(output / "01-sample.html")
    tables = soup.find_all("table")
    assert len(tables) == 2  # the DataFrame repr and the Styler
    for table in tables:
        cells = [td.get_text() for td in table.find_all("td")]
        assert all(hostile in cells for hostile in HOSTILE)
    assert soup.find_all("img", src="x") == []
    text = " ".join(soup.get_text(" ").split())
    assert (
        "Longest title: Proposals on the report of the Secretary-General on ITU's Internet" in text
    )


@pytest.mark.slow
def test_headings_get_unique_ids_and_a_table_of_contents_after_the_title(sample):
    output, _, _ = sample
    soup = page(output / "01-sample.html")
    ids = [h["id"] for h in soup.main.find_all(["h1", "h2", "h3"])]
    assert ids == [
        "positions-on-contributions",
        "documents",
        "figures",
        "title-length",
        "documents-2",
    ]
    toc = soup.select_one("nav.toc")
    assert toc.find_previous("h1")["id"] == "positions-on-contributions"
    assert [(a["href"], a.get_text()) for a in toc.find_all("a")] == [
        ("#documents", "Documents"),
        ("#figures", "Figures"),
        ("#title-length", "Title length"),
        ("#documents-2", "Documents"),
    ]
    assert toc.select("ol > li > ol > li > a")[0]["href"] == "#title-length"


@pytest.mark.slow
def test_figures_are_embedded_with_the_alt_text_of_their_output(sample):
    output, _, _ = sample
    (image,) = page(output / "01-sample.html").find_all("img")
    assert image["alt"] == "Bar chart of title length: CWG-Internet-11/7 is longest."
    assert image["src"].startswith("data:image/png;base64,iVBORw0KGgo")
    assert image.find_parent("figure") is not None


@pytest.mark.slow
def test_the_footer_names_version_data_fingerprint_and_date(sample):
    output, _, data = sample
    footer = " ".join(
        page(output / "05-meeting-11.html").select_one("footer").get_text(" ").split()
    )
    fingerprint = fingerprint_data(data)
    assert f"cwg-analysis {__version__}" in footer
    assert f"data fingerprint {fingerprint[:12]}" in footer
    assert "rendered 2018-01-29" in footer
    assert "Rendered from 05-meeting.ipynb for meeting 11." in footer
    assert fingerprint in page(output / INDEX_NAME).select_one("footer code")["title"]


def test_one_exporter_serves_every_page_of_a_worker_and_each_page_shows_its_own(tmp_path):
    settings = rendering._Settings(tmp_path, tmp_path, "python3", 60, "f" * 64, RENDER_DATE)
    footers = {}
    for stem, parameters in (("01-first", ()), ("05-second", (("meeting", 12),))):
        job = RenderJob(write_notebook(tmp_path / f"{stem}.ipynb"), parameters)
        notebook = nbformat.read(job.notebook, as_version=4)
        html, title, summary, _ = rendering._finish_page(
            rendering._export_notebook(notebook, job, settings), job
        )
        assert summary == f"A test notebook named {stem}."
        footers[title] = " ".join(BeautifulSoup(html, "html.parser").footer.get_text(" ").split())
    assert rendering._html_exporter.cache_info().currsize == 1
    assert list(footers) == ["01-first", "05-second (meeting 12)"]
    assert "Rendered from 01-first.ipynb . cwg-analysis" in footers["01-first"]
    assert "Rendered from 05-second.ipynb for meeting 12." in footers["05-second (meeting 12)"]


# --- cache ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_render_with_nothing_changed_executes_nothing(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    (notebooks / "01-sample.ipynb").unlink()
    write_notebook(notebooks / "02-plain.ipynb", "print('plain')")
    render(notebooks, data, output)
    written = {path.name: path.stat().st_mtime_ns for path in output.glob("*.html")}
    again = render(notebooks, data, output)
    assert again.rendered == ()
    assert again.cached == ("02-plain.html", "05-meeting-11.html")
    assert not again.index_written
    assert {path.name: path.stat().st_mtime_ns for path in output.glob("*.html")} == written
    assert str(again).startswith("render: 2 reports (0 rendered, 2 unchanged)")


@pytest.mark.slow
def test_changing_a_data_file_or_a_notebook_renders_what_depends_on_it(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    (notebooks / "01-sample.ipynb").unlink()
    plain = write_notebook(notebooks / "02-plain.ipynb", "print('first version')")
    render(notebooks, data, output)

    write_notebook(plain, "print('second version')")
    assert render(notebooks, data, output).rendered == ("02-plain.html",)
    assert "second version" in (output / "02-plain.html").read_text(encoding="utf-8")

    (data / "reference").mkdir()
    (data / "reference" / "meetings.csv").write_text("meeting,venue\n11,Geneva\n", encoding="utf-8")
    assert render(notebooks, data, output).rendered == ("02-plain.html", "05-meeting-11.html")


@pytest.mark.slow
def test_data_prepared_before_rendering_is_what_the_cache_key_covers(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    (notebooks / "01-sample.ipynb").unlink()
    processed = data / "processed" / "meetings.parquet"
    builds = []

    def build() -> None:
        builds.append(processed)
        processed.parent.mkdir(exist_ok=True)
        processed.write_bytes(b"meeting 11 has a full report")

    assert render(notebooks, data, output, prepare_data=build).rendered == ("05-meeting-11.html",)
    footer = page(output / "05-meeting-11.html").select_one("footer code[title]")["title"]
    assert footer == f"sha256 {fingerprint_data(data)}"
    assert render(notebooks, data, output, prepare_data=build).cached == ("05-meeting-11.html",)
    assert len(builds) == 1  # nothing to execute the second time: the data is not prepared


@pytest.mark.slow
def test_a_meeting_notebook_added_later_is_rendered_for_every_meeting(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    meeting_notebook = (notebooks / "05-meeting.ipynb").read_bytes()
    (notebooks / "05-meeting.ipynb").unlink()
    (notebooks / "01-sample.ipynb").unlink()
    write_notebook(notebooks / "02-plain.ipynb", "print('plain')")
    render(notebooks, data, output, meetings=(11, 12))
    (notebooks / "05-meeting.ipynb").write_bytes(meeting_notebook)
    summary = render(notebooks, data, output, meetings=(11, 12))
    assert summary.rendered == ("05-meeting-11.html", "05-meeting-12.html")
    assert summary.cached == ("02-plain.html",)


@pytest.mark.slow
def test_a_report_file_deleted_or_edited_by_hand_is_rendered_again(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    write_notebook(notebooks / "02-plain.ipynb", "print('plain')")
    render(notebooks, data, output, only=["02-plain"])
    (output / "02-plain.html").write_text("edited", encoding="utf-8")
    assert render(notebooks, data, output, only=["02-plain"]).rendered == ("02-plain.html",)
    (output / "02-plain.html").unlink()
    assert render(notebooks, data, output, only=["02-plain"]).rendered == ("02-plain.html",)
    assert render(notebooks, data, output, only=["02-plain"], force=True).rendered == (
        "02-plain.html",
    )


@pytest.mark.slow
def test_a_meeting_without_a_full_report_any_more_loses_its_brief(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    (notebooks / "01-sample.ipynb").unlink()
    render(notebooks, data, output, meetings=(11, 12))
    (data / "raw" / "reports" / "new.txt").write_text("the data changed", encoding="utf-8")
    summary = render(notebooks, data, output, meetings=(12,))
    assert summary.removed == ("05-meeting-11.html",)
    assert sorted(path.name for path in output.glob("*.html")) == ["05-meeting-12.html", INDEX_NAME]
    assert [a["href"] for a in page(output / INDEX_NAME).select("ul.report-list a")] == [
        "05-meeting-12.html"
    ]


# --- failures ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_failing_cell_names_notebook_and_cell_and_keeps_the_previous_page(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    (notebooks / "01-sample.ipynb").unlink()
    plain = write_notebook(notebooks / "02-plain.ipynb", "x = 1", "print('good page')")
    render(notebooks, data, output)
    good = (output / "02-plain.html").read_bytes()

    write_notebook(plain, "x = 1", "raise ValueError(f'meeting {x + 98} is unknown')")
    (data / "raw" / "reports" / "new.txt").write_text("the data changed", encoding="utf-8")
    with pytest.raises(
        RenderError,
        match=r"^02-plain\.ipynb:cell 3: ValueError: meeting 99 is unknown "
        r"\(cell starts: \"raise ValueError",
    ):
        render(notebooks, data, output)
    assert (output / "02-plain.html").read_bytes() == good
    assert not list(output.glob(".*.tmp"))
    manifest = json.loads((output / ".render-cache.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["02-plain.html"]["html_sha256"] == hashlib.sha256(good).hexdigest()
    # The failed report is tried again next time; the other one was rendered with the new data.
    with pytest.raises(RenderError, match=r"02-plain\.ipynb:cell 3: ValueError"):
        render(notebooks, data, output)
    assert render(notebooks, data, output, only=["05-meeting"]).cached == ("05-meeting-11.html",)


@pytest.mark.slow
def test_a_failing_meeting_brief_names_its_meeting(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(
        notebooks / "05-brief.ipynb",
        "if meeting not in (11,):\n    raise KeyError(f'meeting {meeting}: no full report')",
        parameters="meeting = 11",
    )
    data = tmp_path / "data"
    data.mkdir()
    with pytest.raises(RenderError) as failure:
        render(notebooks, data, tmp_path / "out", meetings=(11, 12, 13))
    assert str(failure.value).splitlines() == [
        "05-brief.ipynb (meeting=12):cell 3: KeyError: 'meeting 12: no full report' "
        "(cell starts: 'if meeting not in (11,):')",
        "05-brief.ipynb (meeting=13):cell 3: KeyError: 'meeting 13: no full report' "
        "(cell starts: 'if meeting not in (11,):')",
    ]
    assert (tmp_path / "out" / "05-brief-11.html").is_file()


@pytest.mark.slow
def test_an_unknown_kernel_is_an_error_naming_it(tmp_path):
    notebooks, data, output = make_project(tmp_path)
    with pytest.raises(RenderError, match=r"01-sample\.ipynb:kernel: cannot run kernel 'cobol'"):
        render(notebooks, data, output, kernel_name="cobol")


@pytest.mark.slow
def test_html_built_from_unescaped_data_is_refused_naming_the_cell(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(
        notebooks / "02-unsafe.ipynb",
        "from IPython.display import HTML, display",
        f"title = {HOSTILE[1]!r}\ndisplay(HTML(f'<p>{{title}}</p>'))",
    )
    (tmp_path / "data").mkdir()
    with pytest.raises(
        RenderError,
        match=r"02-unsafe\.ipynb:cell 3: output refused, it would carry active content "
        r"\(display data as escaped HTML\): onerror attribute on <img>",
    ):
        render(notebooks, tmp_path / "data", tmp_path / "out")
    assert not (tmp_path / "out" / "02-unsafe.html").exists()


# --- determinism ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_cold_renders_of_the_same_inputs_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1517184000")  # 2018-01-29, the report's date
    notebooks, data, first = make_project(tmp_path)
    second = tmp_path / "second"
    render(notebooks, data, first, render_date=None)
    render(notebooks, data, second, render_date=None)
    names = sorted(path.name for path in first.glob("*.html"))
    assert names == ["01-sample.html", "05-meeting-11.html", INDEX_NAME]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert "rendered 2018-01-29" in (first / INDEX_NAME).read_text(encoding="utf-8")
    assert 'id="T_table1"' in (first / "01-sample.html").read_text(encoding="utf-8")
