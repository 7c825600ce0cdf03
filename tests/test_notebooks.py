"""The five notebooks follow the house rules and run top to bottom from a clean kernel.

Static checks read the committed files. The executions (marked slow) run each notebook in a
fresh kernel against a temporary copy of the project's data (``CWG_ANALYSIS_ROOT``), so the
real data/ is never written, and fail on any error, warning or unescaped markup.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import nbformat
import pytest

from cwg_analysis import config, loading

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
FIGURES = {
    "01-participation": 3,
    "02-positions": 1,
    "03-trends": 3,
    "04-consultations": 2,
    "05-meeting-brief": 1,
}
NAMES = list(FIGURES)
FORBIDDEN_CALLS = {"open", "exec", "eval", "__import__", "print"}
FORBIDDEN_ATTRIBUTES = {"read_csv", "read_parquet", "read_excel", "read_json", "read_text", "path"}


def _notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)


def _code(notebook: nbformat.NotebookNode) -> list[ast.Module]:
    return [ast.parse(cell.source) for cell in notebook.cells if cell.cell_type == "code"]


def test_the_five_notebooks_are_there():
    assert set(NAMES) <= {path.stem for path in NOTEBOOKS_DIR.glob("*.ipynb")}


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_valid_and_committed_without_outputs(name):
    notebook = _notebook(name)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", NAMES)
def test_notebook_opens_with_a_title_the_question_and_the_data_used(name):
    first = _notebook(name).cells[0]
    assert first.cell_type == "markdown"
    title, question, *rest = [part.strip() for part in first.source.split("\n\n")]
    assert title.startswith("# ") and "\n" not in title
    assert question and not question.startswith(("#", "**", "-"))
    assert any(part.startswith("**Data used.**") for part in rest)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_code_only_calls_the_package_without_defs_file_reads_or_path_edits(name):
    imported = set()
    for tree in _code(_notebook(name)):
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            assert not isinstance(node, ast.Lambda)
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0, "relative import"
                imported.add(node.module.split(".")[0])
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, node.func.id
            if isinstance(node, ast.Attribute):
                assert node.attr not in FORBIDDEN_ATTRIBUTES, node.attr
    assert "cwg_analysis" in imported and "sys" not in imported


@pytest.mark.parametrize("name", NAMES)
def test_notebook_loads_its_data_through_the_package_loaders(name):
    calls = {
        node.func.attr
        for tree in _code(_notebook(name))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert any(call.startswith("load_") for call in calls)


def test_only_the_meeting_brief_has_a_parameters_cell_and_it_sets_meeting_11():
    for name in NAMES:
        tagged = [c for c in _notebook(name).cells if "parameters" in c.metadata.get("tags", [])]
        if name != "05-meeting-brief":
            assert tagged == []
            continue
        (cell,) = tagged
        assert cell.cell_type == "code"
        assert ast.literal_eval(ast.parse(cell.source).body[0].value) == 11
        assert cell.source.strip() == "meeting = 11"


# --- executions ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project root holding a copy of the data, its corpus built once for every kernel."""
    root = tmp_path_factory.mktemp("root")
    data = root / "data"
    shutil.copytree(config.REFERENCE_DIR, data / "reference")
    shutil.copytree(config.RAW_REPORTS_DIR, data / "raw" / "reports")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(config, "DATA_DIR", data)
        monkeypatch.setattr(config, "RAW_REPORTS_DIR", data / "raw" / "reports")
        monkeypatch.setattr(config, "REFERENCE_DIR", data / "reference")
        monkeypatch.setattr(config, "PROCESSED_DIR", data / "processed")
        monkeypatch.setattr(loading, "_CACHE", {})
        assert loading.validate_data() == []
    return root


@pytest.fixture
def kernel_env(data_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the kernels the test starts at the copied data."""
    monkeypatch.setenv("CWG_ANALYSIS_ROOT", str(data_root))
    monkeypatch.setenv("PYTHONWARNINGS", "default")
    return data_root


def _check_outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    """Fail on any stream (warnings, prints) or error; return the rich outputs."""
    rich = []
    for number, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            assert output.output_type in ("display_data", "execute_result"), (
                f"cell {number}: {output.output_type}: {output.get('text', output.get('evalue'))}"
            )
            rich.append(output)
    for output in rich:
        if "image/png" in output.data:
            assert output.metadata["image/png"]["alt"].strip()
        html = output.data.get("text/html", "")
        assert "<script" not in html and "onerror" not in html
    return rich


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom_without_errors_or_warnings(name, kernel_env, tmp_path):
    from nbclient import NotebookClient

    notebook = _notebook(name)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    rich = _check_outputs(notebook)
    assert sum("image/png" in output.data for output in rich) == FIGURES[name]


def _run_brief(meeting: object, tmp_path: Path) -> nbformat.NotebookNode:
    import papermill

    return papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "05-meeting-brief.ipynb"),
        str(tmp_path / "brief.ipynb"),
        parameters={"meeting": meeting},
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )


@pytest.mark.slow
def test_the_brief_of_a_meeting_without_a_full_report_says_so(kernel_env, tmp_path):
    notebook = _run_brief(10, tmp_path)
    html = "".join(output.data.get("text/html", "") for output in _check_outputs(notebook))
    assert "The collection holds no full report of meeting 10" in html
    assert "No documents are recorded for this meeting." in html
    assert "20-22 September 2017" in html


@pytest.mark.slow
def test_the_brief_of_an_unknown_meeting_fails_with_a_clear_message(kernel_env, tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match="UnknownMeetingError") as failure:
        _run_brief(99, tmp_path)
    assert "no such meeting: 99 (the meetings on record are 1-21)" in str(failure.value)
