"""Run the command-line interface: ``python -m cwg_analysis``."""

from cwg_analysis.cli import main

raise SystemExit(main())
