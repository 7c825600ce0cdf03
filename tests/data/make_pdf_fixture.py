"""Rebuild the PDF fixtures in tests/data/ with LibreOffice.

Run from the project root: ``.venv/bin/python tests/data/make_pdf_fixture.py``. Needs
LibreOffice Writer (Debian: ``apt-get install libreoffice-writer-nogui``).

- ``cwg-internet-11-final-report.pdf``: the .docx that tests/docx_fixture.py builds, without
  tracked changes (LibreOffice would print the deleted text), exported to PDF.
- ``encrypted-report.pdf``: a one-paragraph report exported with the open password "secret".
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from docx_fixture import build_report_docx  # noqa: E402

PDF_FIXTURE = HERE / "cwg-internet-11-final-report.pdf"
ENCRYPTED_FIXTURE = HERE / "encrypted-report.pdf"
_ENCRYPT = {
    "EncryptFile": {"type": "boolean", "value": "true"},
    "DocumentOpenPassword": {"type": "string", "value": "secret"},
}


def convert_to_pdf(source: Path, target: Path, *, options: dict | None = None) -> Path:
    """Convert a .docx to PDF with headless LibreOffice and copy the result to ``target``."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    export = "pdf" if options is None else f"pdf:writer_pdf_Export:{json.dumps(options)}"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                export,
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
        )
        shutil.copyfile(Path(tmp) / source.with_suffix(".pdf").name, target)
    return target


def make_pdf_fixtures() -> list[Path]:
    """Build both PDF fixtures and return their paths."""
    with tempfile.TemporaryDirectory() as tmp:
        report = build_report_docx(Path(tmp) / "report.docx", word_features=False)
        tiny = Path(tmp) / "encrypted.docx"
        document = docx.Document()
        document.add_paragraph("1.1\tA Member State stated that this report is confidential.")
        document.save(tiny)
        return [
            convert_to_pdf(report, PDF_FIXTURE),
            convert_to_pdf(tiny, ENCRYPTED_FIXTURE, options=_ENCRYPT),
        ]


if __name__ == "__main__":
    for path in make_pdf_fixtures():
        sys.stdout.write(f"wrote {path} ({path.stat().st_size} bytes)\n")
