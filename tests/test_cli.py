"""The command-line interface lists its subcommands and maps failures to exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cwg_analysis.cli import main

SUBCOMMANDS = ("read", "build", "validate", "render")


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "cwg_analysis", "--help"],
        [str(Path(sys.executable).parent / "cwg-analysis"), "--help"],
    ],
    ids=["python -m", "console script"],
)
def test_help_lists_every_subcommand(command):
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    for name in SUBCOMMANDS:
        assert f"    {name} " in result.stdout


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_data_error_exits_1_with_one_line_naming_the_file(tmp_path, capsys):
    missing = tmp_path / "no-such-report.txt"
    assert main(["read", str(missing)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: ") and "no-such-report.txt" in err[0]
