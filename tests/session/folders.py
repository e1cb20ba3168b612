"""Session folders for the session tests: a plain one (two documents) and one kept inside a git
repository, as docs/session-workflow.md recommends: the repository's top holds other things,
the session is ``ptc/`` and each document a subfolder of it, so every git-revision path goes
through a prefix."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from click.testing import CliRunner

from wcodoc.workflow.newdoc import create_document

SESSION_YAML = """\
committee: PC
sessions: [235, 236]
dates: {from: 2022-04-25, to: 2022-04-29}
meeting: hybrid
place: Brussels
"""

GIT_SESSION_YAML = """\
committee: PC
sessions: [237, 238]
dates: {from: 2023-03-20, to: 2023-03-24}
place: Brussels
meeting: hybrid
register:
- symbol: PC0700E
  folder: other
- symbol: PC0790E   # reserved for the Korean paper
"""


def write_doc(folder, name, reference, extra=""):
    root = folder / name
    (root / "chapters").mkdir(parents=True)
    (root / "document.yaml").write_text(
        f"reference: {reference}\ntitle: {name}\nissued: 2022-03-07\nagenda_item: V\n{extra}"
    )
    (root / "chapters" / "01.md").write_text("# A\n\nText.\n")
    return root


def plain_session(folder: Path) -> Path:
    """``session.yaml`` (sessions 235/236) and two documents, ``one`` and ``two`` (its own
    ``meeting``)."""
    (folder / "session.yaml").write_text(SESSION_YAML)
    write_doc(folder, "one", "PC0685Ea")
    write_doc(folder, "two", "PC0686Ea", extra="meeting: virtual\n")
    return folder


def write_session(folder: Path, documents: int) -> Path:
    """A session folder with ``documents`` one-chapter projects, ``doc0``, ``doc1``…"""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "session.yaml").write_text("committee: PC\nsessions: [235]\nplace: Brussels\n")
    for n in range(documents):
        chapters = folder / f"doc{n}" / "chapters"
        chapters.mkdir(parents=True)
        (chapters / "01.md").write_text("# A\n\nText.\n")
        (folder / f"doc{n}" / "document.yaml").write_text(
            f"reference: PC068{n}Ea\ntitle: Doc {n}\nissued: 2022-03-07\nagenda_item: V\n"
        )
    return folder


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def git_session(tmp_path: Path) -> Path:
    """``repo/ptc``: a session (sessions 237/238, PC0700E allocated, PC0790E reserved) whose
    document ``smart-customs`` (PC0791Ea, two paragraphs) is committed."""
    top = tmp_path / "repo"
    session = top / "ptc"
    session.mkdir(parents=True)
    git(top, "init", "-q")
    git(top, "config", "user.name", "Secretariat")
    git(top, "config", "user.email", "secretariat@example.org")
    (top / "README.md").write_text("Documents of the PTC.\n")
    (session / "session.yaml").write_text(GIT_SESSION_YAML)
    create_document(session / "smart-customs", title="Smart Customs", item="V", issued=dt.date(2023, 2, 1))
    chapter = session / "smart-customs" / "chapters" / "01-introduction.md"
    chapter.write_text("# Introduction\n\nFirst paragraph.\n\nSecond paragraph.\n")
    (session / "smart-customs" / ".gitignore").write_text("build/\n")
    commit(top, "PC0791Ea as issued")
    return session


def commit(top, message):
    git(top, "add", "-A")
    git(top, "commit", "-qm", message)


def run(command, args, cwd, monkeypatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(command, args)


def edit(session):
    chapter = session / "smart-customs" / "chapters" / "01-introduction.md"
    chapter.write_text(chapter.read_text() + "\nA new third paragraph.\n")
