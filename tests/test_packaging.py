"""The project installs from one dependency list, imports cheaply and keeps notebooks clean."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )


def test_environment_yml_installs_the_package_from_pyproject_without_a_second_list():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    conda_deps = [dep for dep in env["dependencies"] if isinstance(dep, str)]
    pip_deps = next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict))
    assert sorted(conda_deps) == ["pip", "python=3.11"]
    assert pip_deps == ["-e .[dev]"]
    assert pyproject["project"]["requires-python"] == ">=3.11"
    assert "dev" in pyproject["project"]["optional-dependencies"]


def test_pinned_security_floors_are_declared():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    assert "nbconvert>=7.17.1" in deps
    assert "pdfminer.six>=20251107" in deps


def test_import_prints_nothing_and_defers_heavy_libraries():
    heavy = ["pandas", "matplotlib", "pandera", "nbconvert", "docx", "pdfminer", "pyarrow"]
    result = _run_python(
        f"import sys, cwg_analysis\nprint(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    assert result.stdout.strip() == "[]"
    assert result.stderr == ""


def test_public_names_resolve_lazily():
    result = _run_python(
        "import cwg_analysis as cwg\n"
        "print(all(callable(getattr(cwg, name)) for name in cwg.__all__ if name != '__version__'))"
    )
    assert result.stdout.strip() == "True"


def test_gitignore_covers_generated_folders():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for entry in (".venv/", "build/", "data/processed/"):
        assert entry in ignored


def test_notebooks_are_committed_with_outputs_stripped():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found in notebooks/"
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        dirty = [
            i
            for i, cell in enumerate(cells)
            if cell["cell_type"] == "code" and (cell["outputs"] or cell["execution_count"])
        ]
        assert dirty == [], f"{path.name}: cells {dirty} carry outputs or execution counts"


def test_makefile_defaults_to_help_listing_the_two_commands():
    result = subprocess.run(["make", "-s"], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "make report" in result.stdout
    assert "make test" in result.stdout


def test_ci_script_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in readme
    assert "set -euo pipefail" in ci
