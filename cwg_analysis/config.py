"""Paths used across the package, defined once.

The project is used from its checkout: data and notebooks live beside the package.
Set ``CWG_ANALYSIS_ROOT`` to point the package at another checkout (tests do).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("CWG_ANALYSIS_ROOT", Path(__file__).resolve().parents[1]))
DATA_DIR = PROJECT_ROOT / "data"
RAW_REPORTS_DIR = DATA_DIR / "raw" / "reports"
REFERENCE_DIR = DATA_DIR / "reference"
PROCESSED_DIR = DATA_DIR / "processed"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
BUILD_DIR = PROJECT_ROOT / "build"
REPORTS_DIR = BUILD_DIR / "reports"
