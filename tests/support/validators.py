"""Validators nobody here wrote, run once over many files: openxml-audit (the ISO 29500
schemas and Word's semantic rules, for DOCX), outloud (PDF/UA-1 and WCAG, for PDF), Apache
PDFBox Preflight (PDF/A; Debian's ``libpdfbox2-java``, run by ``java``), and for HTML the Nu Html
Checker (npm ``vnu-jar``, run by ``java``) and axe-core in headless Chromium (``browser``).

Each function takes every file of the run at once (one process per validator: the JVM and
PyMuPDF start once) and gives each file's findings as short strings, errors only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from lxml import etree

PREFLIGHT_JARS = (
    "preflight",
    "pdfbox2",
    "xmpbox",
    "fontbox2",
    "commons-logging",
    "javax.activation",
    "jaxb-api",
)
"""Preflight and what it needs on the class path (Java 11+ ships neither activation nor JAXB)."""
JAVA_DIR = Path("/usr/share/java")
PREFLIGHT_MAIN = "org.apache.pdfbox.preflight.Validator_A1b"

PREFLIGHT_NOT_FOR_PDF_A2 = {
    "7.11.2": "PDF/A-1's identification (pdfaid:part must be 1); ours says 2, as PDF/A-2b asks",
}
"""Preflight checks PDF/A-1b; the rules of its that PDF/A-2b does not have, by code."""


def _tool(name: str) -> str:
    """A console script of the test environment (beside this Python), else one on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else name


def preflight_available() -> bool:
    """Whether java and every jar Preflight needs are installed."""
    return shutil.which("java") is not None and all(
        (JAVA_DIR / f"{jar}.jar").exists() for jar in PREFLIGHT_JARS
    )


def openxml_audit(docx: list[Path]) -> dict[Path, list[str]]:
    """openxml-audit's errors in each DOCX (description and part)."""
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        folder = Path(tmp)
        names = {}
        for k, path in enumerate(docx):
            (folder / f"{k}.docx").symlink_to(path.resolve())
            names[f"{k}.docx"] = path
        run = subprocess.run(
            [_tool("openxml-audit"), "-r", "-o", "json", "-m", "0", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        report = json.loads(run.stdout)
    found: dict[Path, list[str]] = {}
    for entry in report:
        errors = [f"{e['description']} ({e.get('part_uri', '')})" for e in entry["errors"]]
        found[names[Path(entry["file"]).name]] = errors
    return found


def outloud(pdfs: list[Path]) -> dict[Path, list[str]]:
    """outloud's error findings in each PDF (rule, message, evidence)."""
    run = subprocess.run(
        [_tool("outloud"), "--json", "-", "--fail-on", "never", *map(str, pdfs)],
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[Path, list[str]] = {}
    for result in json.loads(run.stdout)["results"]:
        errors = [
            f"{f['rule']} {f['message']} {f.get('evidence', '')}".strip()
            for f in result["findings"]
            if f["severity"] == "error"
        ]
        if result.get("error"):
            errors.append(f"outloud could not read the file: {result['error']}")
        found[Path(result["path"])] = errors
    return {pdf: found[pdf.resolve()] if pdf.resolve() in found else found[pdf] for pdf in pdfs}


def preflight(pdfs: list[Path]) -> dict[Path, list[str]]:
    """Preflight's errors in each PDF that apply to PDF/A-2b (code and details)."""
    classpath = ":".join(str(JAVA_DIR / f"{jar}.jar") for jar in PREFLIGHT_JARS)
    with tempfile.TemporaryDirectory(prefix="preflight-") as tmp:
        listing = Path(tmp) / "files.txt"
        listing.write_text("".join(f"{pdf.resolve()}\n" for pdf in pdfs), encoding="utf-8")
        subprocess.run(
            [
                "java",
                "-cp",
                classpath,
                "org.apache.pdfbox.preflight.Validator_A1b",
                "xml",
                "group",
                str(listing),
            ],
            capture_output=True,
            check=False,
            timeout=600,
        )
        report = etree.parse(str(listing) + ".preflight.xml").getroot()
    results = report.findall("preflight")
    assert len(results) == len(pdfs), etree.tostring(report)[:2000]
    return {pdf: _applicable(result) for pdf, result in zip(pdfs, results, strict=True)}


def _applicable(result: etree._Element) -> list[str]:
    errors = []
    for error in result.iter("error"):
        code = error.findtext("code", "")
        if code not in PREFLIGHT_NOT_FOR_PDF_A2:
            errors.append(f"{code} {error.findtext('details', '')}")
    return errors


# --- HTML ----------------------------------------------------------------------------------------

NODE_MODULES = Path(sys.prefix) / "node_modules"
"""Where ``scripts/test-deps.sh`` installs the npm packages: beside the test tools, in the venv."""
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
BROWSER_SCRIPT = Path(__file__).with_name("browser.js")
CHROMIUM = ("chromium-headless-shell", "chromium")


def html_checkers_missing() -> str | None:
    """What the HTML checks lack (``make test-deps``, ``scripts/system-deps.sh``), or ``None``."""
    if shutil.which("java") is None or shutil.which("node") is None:
        return "java and node (scripts/system-deps.sh installs them)"
    if not (VNU_JAR.exists() and AXE.exists() and (NODE_MODULES / "puppeteer-core").exists()):
        return f"vnu-jar, axe-core and puppeteer-core in {NODE_MODULES} (make test-deps)"
    if chromium() is None:
        return "chromium-headless-shell (scripts/system-deps.sh installs it)"
    return None


def chromium() -> str | None:
    """The headless Chromium to drive."""
    return next((found for name in CHROMIUM if (found := shutil.which(name))), None)


def nu_html(pages: list[Path]) -> dict[Path, list[str]]:
    """The Nu Html Checker's errors and warnings on each page (line and message)."""
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, pages)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    found: dict[str, list[str]] = {}
    for message in json.loads(run.stderr)["messages"]:
        if message["type"] != "info":
            where = Path(message["url"].removeprefix("file:")).resolve()
            found.setdefault(str(where), []).append(f"{message.get('lastLine')}: {message['message']}")
    return {page: found.get(str(page.resolve()), []) for page in pages}


def browser(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open ``pages`` in one headless Chromium (``browser.js``: axe-core's WCAG 2.1 A/AA
    violations, where an anchor lands, screenshots, an A4 printout); its report of each."""
    job = {"chromium": chromium(), "axe": str(AXE), "pages": pages}
    run = subprocess.run(
        ["node", str(BROWSER_SCRIPT)],
        input=json.dumps(job, default=str),
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)
