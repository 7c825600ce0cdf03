"""Open the rendered reports in headless Chromium with every network request blocked.

Checks every page: no console error, no failed or blocked request, every image decoded and
described, every contents link lands on an element, no code visible, and a script hidden in a
data field does not run. Two collections: the sample notebooks of tests/data/rendering/ (with
hostile data strings) and the project's own notebooks/ (rendered from the real data).

Chromium is Debian's /usr/bin/chromium (override with CWG_CHROMIUM) driven by Playwright. When
it is missing the tests skip, except under CI (env CI set), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from cwg_analysis.config import NOTEBOOKS_DIR
from cwg_analysis.rendering import INDEX_NAME, NOTEBOOK_PATTERN, render_reports

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("CWG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAMPLES = Path(__file__).parent / "data" / "rendering"
SEED_REPORT = (
    Path(__file__).parents[1] / "data" / "raw" / "reports" / "cwg-internet-11-final-report.txt"
)
CODE_SELECTORS = ".jp-InputArea, .jp-CodeCell .jp-Editor, .input_area, div.input, .cell-input"


@pytest.fixture(scope="module")
def browser():
    """Yield a headless Chromium; skip without one, fail without one under CI."""
    missing = None
    if not CHROMIUM.is_file():
        missing = f"{CHROMIUM} not found (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed (pip install playwright)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run under CI: {missing}")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def inspect_page(browser, path: Path, notebook: Path | None) -> list[str]:
    """Open one page from file:// and return every problem found (empty when it is fine)."""
    problems: list[str] = []
    context = browser.new_context()

    def only_local(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            problems.append(f"network request blocked: {url}")
            route.abort()

    context.route("**/*", only_local)
    tab = context.new_page()
    tab.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))

    def on_dialog(dialog) -> None:
        problems.append(f"dialog opened: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.goto(path.as_uri(), wait_until="load")

    images = tab.evaluate(
        "[...document.images].map(i => ({complete: i.complete, width: i.naturalWidth, alt: i.alt}))"
    )
    problems.extend(f"image {n} not decoded" for n, i in enumerate(images) if not i["width"] > 0)
    problems.extend(
        f"image {n} has no alt text" for n, i in enumerate(images) if not i["alt"].strip()
    )

    for href in tab.eval_on_selector_all(
        "nav.toc a", "links => links.map(a => a.getAttribute('href'))"
    ):
        anchor = href.removeprefix("#")
        if (
            tab.evaluate("id => document.querySelectorAll('#' + CSS.escape(id)).length", anchor)
            != 1
        ):
            problems.append(f"contents link {href} does not name exactly one element")
            continue
        tab.click(f"nav.toc a[href='{href}']")
        if tab.evaluate("() => document.querySelector(':target')?.id") != anchor:
            problems.append(f"contents link {href} does not land on its heading")

    if tab.locator(CODE_SELECTORS).count():
        problems.append("an input (code) area is on the page")
    text = tab.inner_text("body")
    if notebook is not None:
        for line in _code_lines(notebook):
            if line in text:
                problems.append(f"code is visible: {line!r}")
    if tab.evaluate("() => window.__xss") is not None:
        problems.append(f"an injected script ran: window.__xss = {tab.evaluate('window.__xss')!r}")
    context.close()
    return [f"{path.name}: {problem}" for problem in problems]


def _code_lines(notebook: Path) -> list[str]:
    """Return the lines of the notebook's code cells that look like code (calls, assignments)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    lines = (
        line.strip()
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
    )
    return [
        line
        for line in lines
        if len(line) >= 10 and ("(" in line or " = " in line or line.startswith("import "))
    ]


def inspect_collection(browser, output: Path, notebooks: Path) -> list[str]:
    """Open the index and every report it links to; return every problem found."""
    index = output / INDEX_NAME
    problems = inspect_page(browser, index, None)
    tab = browser.new_page()
    tab.goto(index.as_uri())
    hrefs = tab.eval_on_selector_all(
        "ul.report-list a", "links => links.map(a => a.getAttribute('href'))"
    )
    tab.close()
    reports = sorted(path.name for path in output.glob("*.html") if path.name != INDEX_NAME)
    if sorted(hrefs) != reports:
        problems.append(f"index links {sorted(hrefs)} but the reports are {reports}")
    for href in hrefs:
        stem = href.removesuffix(".html")
        notebook = next(
            (
                nb
                for nb in notebooks.glob(NOTEBOOK_PATTERN)
                if stem == nb.stem or stem.startswith(f"{nb.stem}-")
            ),
            None,
        )
        problems.extend(inspect_page(browser, output / href, notebook))
    return problems


def test_sample_reports_open_offline_without_errors_code_or_injected_script(browser, tmp_path):
    notebooks, data = tmp_path / "notebooks", tmp_path / "data"
    shutil.copytree(SAMPLES, notebooks)
    (data / "raw" / "reports").mkdir(parents=True)
    shutil.copy(SEED_REPORT, data / "raw" / "reports")
    render_reports(
        jobs=2,
        notebooks_dir=notebooks,
        output_dir=tmp_path / "reports",
        data_dir=data,
        list_meetings=lambda: [11],
        prepare_data=None,
        render_date=date(2018, 1, 29),
    )
    problems = inspect_collection(browser, tmp_path / "reports", notebooks)
    assert problems == []
    assert len(list((tmp_path / "reports").glob("*.html"))) == 3


def test_project_reports_open_offline_without_errors_or_code(browser, tmp_path):
    if not list(NOTEBOOKS_DIR.glob(NOTEBOOK_PATTERN)):
        pytest.skip(f"no notebooks in {NOTEBOOKS_DIR} yet")
    summary = render_reports(output_dir=tmp_path / "reports")
    assert summary.rendered
    assert inspect_collection(browser, tmp_path / "reports", NOTEBOOKS_DIR) == []


def test_a_broken_page_is_caught_by_these_checks(browser, tmp_path):
    """The checks can fail: a page with a remote script, a broken image and a dead link fails."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>broken</title>"
        '<script src="https://cdn.example.org/require.js"></script></head><body>'
        '<nav class="toc"><a href="#nowhere">Nowhere</a></nav>'
        '<img src="missing.png" alt="">'
        "<script>window.__xss = 'inline'</script></body></html>",
        encoding="utf-8",
    )
    problems = inspect_page(browser, page, None)
    assert "broken.html: network request blocked: https://cdn.example.org/require.js" in problems
    assert "broken.html: image 0 not decoded" in problems
    assert "broken.html: image 0 has no alt text" in problems
    assert "broken.html: contents link #nowhere does not name exactly one element" in problems
    assert "broken.html: an injected script ran: window.__xss = 'inline'" in problems
    assert any(problem.startswith("broken.html: request failed: ") for problem in problems)
