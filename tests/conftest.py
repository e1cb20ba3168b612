"""Shared fixtures: small projects written on the fly, and built outputs opened as XML."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

MINIMAL_YAML = """\
reference: PC0685Ea
title: Future of Customs
subtitle: Test subtitle
meeting: hybrid
sessions: [235, 236]
dates: {from: 2022-04-25, to: 2022-04-29}
issued: 2022-03-07
agenda_item: V
summary:
  purpose: |
    A purpose paragraph.
  action: |
    The PTC is invited to:

    - take note.
"""


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path → text, dedented) under ``root``; return ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path):
    """Factory: ``make_project({"chapters/01.md": "..."}, yaml=...)`` → project folder."""

    def make(
        files: dict[str, str | bytes] | None = None, yaml: str | None = MINIMAL_YAML, name: str = "project"
    ) -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        content = dict(files or {})
        if yaml is not None:
            content.setdefault("document.yaml", yaml)
        return write_project(root, content)

    return make


def docx_xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    """Parse one part of a DOCX."""
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def paragraphs(doc: etree._Element) -> list[tuple[str, str]]:
    """(style id, text) of every body paragraph, in order."""
    out = []
    for p in doc.iter(f"{{{W}}}p"):
        style = p.find("w:pPr/w:pStyle", NS)
        text = "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
        out.append((style.get(f"{{{W}}}val") if style is not None else "", text))
    return out


def pdf_text(path: Path) -> str:
    """The text of a PDF, in reading layout, by pdftotext."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def has_libreoffice() -> bool:
    """Whether LibreOffice's ``soffice`` is on PATH (as ``wcodoc.pdf.convert`` looks for it)."""
    return shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


def on_ci() -> bool:
    """Whether the tests run on CI (``CI=true``, as GitHub Actions and GitLab set it)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip ``@pytest.mark.libreoffice`` tests where LibreOffice is missing, except on CI.

    CI installs LibreOffice (``make test`` runs ``scripts/system-deps.sh``), so there a missing
    ``soffice`` is a broken setup and must fail, not hide the PDF tests behind a skip.
    """
    if item.get_closest_marker("libreoffice") is None or has_libreoffice():
        return
    if on_ci():
        pytest.fail("LibreOffice (soffice) not found on CI, where it must be installed", pytrace=False)
    pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The repository's sample document built once (DOCX, HTML and PDF) into a temporary folder."""
    from wcodoc.build import build_project

    out = tmp_path_factory.mktemp("sample-build")
    formats = ("docx", "html", "pdf") if has_libreoffice() else ("docx", "html")
    return build_project(ROOT, out, formats, use_cache=False)


def ctrl_c_restored() -> None:
    """For ``preexec_fn``: Ctrl-C back to its default in a child the test interrupts.

    A shell without job control (``make test &`` in a script) starts its background commands
    with SIGINT ignored, and children inherit that: Python would then install no
    KeyboardInterrupt handler and a Ctrl-C test would signal a process that cannot hear it.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def ctrl_c_raises():
    """Ctrl-C raises KeyboardInterrupt in this process during the test, even when the test
    run was started with SIGINT ignored (see :func:`ctrl_c_restored`)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _publication(tmp_path_factory, lang: str):
    from tests.support.publication import publication_project
    from wcodoc.build import build_project

    root = publication_project(tmp_path_factory.mktemp(f"publication-{lang}"), lang)
    formats = ("docx", "html", "pdf") if has_libreoffice() else ("docx", "html")
    return build_project(root, root / "build", formats, use_cache=False)


@pytest.fixture(scope="session")
def english_publication(tmp_path_factory):
    """The English publication project (``tests/support/publication.py``) built once."""
    return _publication(tmp_path_factory, "E")


@pytest.fixture(scope="session")
def french_publication(tmp_path_factory):
    """The French publication project built once."""
    return _publication(tmp_path_factory, "F")


def group_gone(pgid: int, within: float = 10) -> bool:
    """Whether every process of group ``pgid`` has exited (zombies are reaped by init)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
