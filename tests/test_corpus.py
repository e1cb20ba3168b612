"""The corpus of broken inputs: each one gets a short, located message and changes nothing.

Every folder of ``tests/corpus/`` (except ``_base``) is one case. Its ``expected.txt`` holds:

- ``# why`` — a comment saying what is broken;
- ``args:`` — the ``wcodoc`` arguments, run in the case's folder;
- ``expect:`` — a fragment the output must contain (one or more; ``FILE:LINE:`` included);
- ``exit:`` — the exit status (default 1; ``diff`` uses 2);
- ``base: none`` — do not start from ``_base``, a small valid project;
- ``remove:`` — a file of ``_base`` to leave out.

The case's other files are laid over a copy of ``_base``. The real CLI runs in a subprocess
with a time limit and a memory limit; afterwards the copied tree must be byte-for-byte the
same (sources untouched, no output, no temporary file).
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "_base"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
MEMORY_LIMIT = 2 * 1024**3
"""Address space allowed to the CLI and the programs it starts (pandoc runs within it)."""
TIMEOUT = 60
MAX_LINES = 5
"""A message a person reads at a glance: a few lines at most."""


def limit_memory() -> None:
    """Run in the child before exec: cap its address space so a bomb fails instead of swapping."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_wcodoc(
    args: list[str], cwd: Path, *, env: dict[str, str] | None = None, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m wcodoc ARGS`` in ``cwd`` with the memory limit and a time limit."""
    return subprocess.run(
        [sys.executable, "-m", "wcodoc", *args],
        cwd=cwd,
        env={**os.environ, "WCODOC_PDF_SERVER": "off", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit_memory,
        check=False,
    )


def tree_digest(root: Path) -> dict[str, str]:
    """Path → SHA-256 of every file under ``root`` (folders by their presence, links by target)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = f"link to {os.readlink(path)}"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


@dataclass
class Case:
    """One broken input and what wcodoc must say about it."""

    name: str
    why: str = ""
    args: list[str] = field(default_factory=list)
    expects: list[str] = field(default_factory=list)
    exit: int = 1
    base: bool = True
    remove: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, name: str) -> Case:
        case = cls(name)
        for line in (CORPUS / name / "expected.txt").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            value = value.strip()
            if line.startswith("#"):
                case.why = line.lstrip("# ")
            elif key == "args":
                case.args = value.split()
            elif key == "expect":
                case.expects.append(value)
            elif key == "exit":
                case.exit = int(value)
            elif key == "base":
                case.base = value != "none"
            elif key == "remove":
                case.remove.append(value)
        return case

    def lay_out(self, folder: Path) -> Path:
        """Copy the base project and the case's files into ``folder``."""
        if self.base:
            shutil.copytree(BASE, folder)
        folder.mkdir(exist_ok=True)
        for rel in self.remove:
            (folder / rel).unlink()
        for path in (CORPUS / self.name).rglob("*"):
            target = folder / path.relative_to(CORPUS / self.name)
            if path.is_symlink():  # kept as a link: where it points is the point of the case
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(os.readlink(path))
            elif path.is_file() and path.name != "expected.txt":
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        return folder


@dataclass
class Outcome:
    case: Case
    result: subprocess.CompletedProcess[str]
    before: dict[str, str]
    after: dict[str, str]

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr


def _run_case(case: Case, folder: Path) -> Outcome:
    case.lay_out(folder)
    before = tree_digest(folder)
    result = run_wcodoc(case.args, folder)
    return Outcome(case, result, before, tree_digest(folder))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    """Every case run once, a few at a time (each is mostly waiting for Python to start)."""
    root = tmp_path_factory.mktemp("corpus")
    cases = [Case.load(name) for name in CASES]
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = pool.map(lambda c: _run_case(c, root / c.name), cases)
        return {outcome.case.name: outcome for outcome in done}


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    for name in CASES:
        case = Case.load(name)
        assert case.args and case.expects and case.why, f"{name}/expected.txt is incomplete"


@pytest.mark.parametrize("name", CASES)
def test_case(name: str, outcomes: dict[str, Outcome]):
    outcome = outcomes[name]
    shown = f"{name} ({outcome.case.why}):\n{outcome.output}"
    assert outcome.result.returncode == outcome.case.exit, shown
    for fragment in outcome.case.expects:
        assert fragment in outcome.output, shown
    assert "Traceback" not in outcome.output, shown
    assert 1 <= len(outcome.output.strip().splitlines()) <= MAX_LINES, shown
    assert outcome.after == outcome.before, f"{name}: the project tree changed"
