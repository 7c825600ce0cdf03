"""Copies of the project data for tests that build or edit it, and pointing the package at one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cwg_analysis import config, loading

REPO_DATA = config.DATA_DIR


def copy_data(root: Path) -> Path:
    """Copy data/reference and data/raw/reports under ``root``; return ``root``."""
    shutil.copytree(REPO_DATA / "reference", root / "data" / "reference")
    shutil.copytree(REPO_DATA / "raw" / "reports", root / "data" / "raw" / "reports")
    return root


def use_root(monkeypatch: pytest.MonkeyPatch, root: Path) -> Path:
    """Point the package at ``root/data`` and forget the tables loaded so far."""
    data = root / "data"
    monkeypatch.setattr(config, "DATA_DIR", data)
    monkeypatch.setattr(config, "RAW_REPORTS_DIR", data / "raw" / "reports")
    monkeypatch.setattr(config, "REFERENCE_DIR", data / "reference")
    monkeypatch.setattr(config, "PROCESSED_DIR", data / "processed")
    loading._CACHE.clear()
    return data
