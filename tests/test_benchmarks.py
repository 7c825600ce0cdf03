"""The benchmarks run (tiny inputs, not timed) and print one table with every measure."""

from __future__ import annotations

import importlib
import math
import subprocess
import sys

import pytest

from benchmarks import Row, check_target, run_measured
from benchmarks.__main__ import find_modules, format_table


def _params() -> list:
    slow = {"bench_render"}  # renders notebooks
    return [
        pytest.param(name, marks=pytest.mark.slow) if name in slow else name
        for name in find_modules()
    ]


def test_the_benchmark_modules_are_found():
    assert {"bench_reading", "bench_corpus", "bench_loading"} <= set(find_modules())


@pytest.mark.parametrize("name", _params())
def test_each_benchmark_runs_on_tiny_inputs_and_returns_well_formed_rows(
    name, tmp_path, monkeypatch
):
    monkeypatch.setenv("CWG_BENCH_DIR", str(tmp_path))
    rows = importlib.import_module(f"benchmarks.{name}").run(quick=True)
    assert rows
    for row in rows:
        assert set(row) == {"measure", "value", "unit", "target", "floor"}
        assert math.isfinite(row["value"]) and row["value"] >= 0, row
        assert row["floor"] is None or row["floor"] > 0, row
        check_target(row)  # raises on a target the table cannot judge


def test_a_target_is_judged_on_the_value_or_on_its_ratio_to_the_floor():
    row = Row(measure="m", value=3.0, unit="s", target="<= 2", floor=1.5)
    assert check_target(row) is False
    assert check_target({**row, "target": "<= 2x floor"}) is True
    assert check_target({**row, "target": ">= 5"}) is False
    assert check_target({**row, "target": None}) is None
    with pytest.raises(ValueError, match="target: not '<= N'"):
        check_target({**row, "target": "fast"})


def test_the_table_shows_value_target_floor_ratio_and_verdict():
    rows = [
        Row(measure="corpus build", value=30.0, unit="s", target="<= 60", floor=2.0),
        Row(measure="read", value=2.5, unit="MB/s", target=">= 5", floor=400.0),
    ]
    lines = format_table(rows).splitlines()
    header = [cell.strip() for cell in lines[0].split("|")[1:-1]]
    assert header == ["measure", "value", "target", "floor", "value / floor", "met"]
    assert "30 s" in lines[2] and "15.00" in lines[2] and lines[2].rstrip().endswith("yes |")
    assert "400 MB/s" in lines[3] and "0.01" in lines[3] and "NO" in lines[3]


def test_peak_memory_counts_every_process_of_the_tree():
    child = "b = bytearray(150_000_000); import time; time.sleep(0.5)"
    parent = (
        "import subprocess, sys\n"
        f"p = subprocess.Popen([sys.executable, '-c', {child!r}])\n"
        f"exec({child!r})\n"
        "p.wait()\n"
    )
    measured = run_measured([sys.executable, "-c", parent])
    assert measured.seconds >= 0.5
    assert measured.peak_bytes >= 300_000_000  # two processes of 150 MB each, alive together
    assert measured.cpu_seconds > 0


def test_the_runner_rejects_an_unknown_module():
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--only", "bench_nothing"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "no such benchmark module: bench_nothing" in result.stderr
