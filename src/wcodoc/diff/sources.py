"""Turn what the user named (a DOCX, a project folder, a git revision) into a DOCX to read.

A project folder is built first; a git revision is exported with ``git archive`` into a
temporary folder and built there, so the working tree is never touched.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from contextlib import ExitStack
from pathlib import Path
from tempfile import mkdtemp

from wcodoc.errors import WcodocError
from wcodoc.load.metadata import DOCUMENT_YAML

GIT_TIMEOUT = 120


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise WcodocError("git not found; install git to compare revisions") from None
    except subprocess.TimeoutExpired:
        raise WcodocError(f"git {args[0]} took longer than {GIT_TIMEOUT} s") from None


AUTHOR_ENV = "WCODOC_AUTHOR"


def default_author(cwd: Path | None = None, fallback: str = "wcodoc") -> str:
    """Who the tracked changes are by: ``$WCODOC_AUTHOR``, else git's ``user.name``, else ``fallback``."""
    if name := os.environ.get(AUTHOR_ENV, "").strip():
        return name
    try:
        result = _git(["config", "user.name"], Path(cwd or Path.cwd()))
    except WcodocError:
        return fallback
    name = result.stdout.decode("utf-8", "replace").strip() if result.returncode == 0 else ""
    return name or fallback


def is_revision(name: str, cwd: Path) -> bool:
    """Whether ``name`` names a commit (``HEAD~1``, a tag) of the git repository around ``cwd``.

    ``False`` outside a repository or before its first commit; raises :class:`WcodocError`
    when git itself is missing.
    """
    result = _git(["rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], cwd)
    return result.returncode == 0


def _build(project: Path, workdir: Path) -> Path:
    from wcodoc.build import build_project

    result = build_project(project, workdir, formats=("docx",))
    return Path(result.outputs["docx"])


def _safe_member(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tar's ``data`` filter, but a member it refuses (e.g. a link to an absolute path in a
    test corpus) is left out rather than failing the whole export: the build reads only the
    project's own sources, and it refuses links that leave the project anyway."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None


def _export_revision(revision: str, cwd: Path, workdir: Path) -> Path:
    """Extract the project folder (the current folder's place in the repository) at ``revision``."""
    prefix = _git(["rev-parse", "--show-prefix"], cwd).stdout.decode().strip()
    archive = _git(["archive", "--format=tar", revision, "--", prefix or "."], cwd)
    if archive.returncode != 0:
        message = archive.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WcodocError(f"git archive {revision} failed: {message[0] if message else '?'}")
    target = workdir / "tree"
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(target, filter=_safe_member)
    except (tarfile.TarError, OSError) as exc:
        raise WcodocError(f"cannot extract revision {revision}: {exc}") from None
    project = target / prefix
    if not (project / DOCUMENT_YAML).is_file():
        raise WcodocError(f"revision {revision} has no {DOCUMENT_YAML} in {prefix or 'the repository root'}")
    return project


def resolve_docx(name: str, stack: ExitStack, *, cwd: Path | None = None) -> Path:
    """The DOCX for ``name``: the file itself, a build of a project folder or of a revision.

    Temporary folders live until ``stack`` closes.
    """
    cwd = Path(cwd or Path.cwd())
    path = cwd / name
    if path.is_file():
        return path
    if path.is_dir():
        if not (path / DOCUMENT_YAML).is_file():
            raise WcodocError(f"not a wcodoc project: no {DOCUMENT_YAML} in this folder", path)
        return _build(path, _tempdir(stack, "build") / "out")
    if is_revision(name, cwd):
        workdir = _tempdir(stack, "rev")
        return _build(_export_revision(name, cwd, workdir), workdir / "out")
    raise WcodocError("no such file, project folder or git revision", name)


def _tempdir(stack: ExitStack, tag: str) -> Path:
    import shutil

    folder = Path(mkdtemp(prefix=f"wcodoc-diff-{tag}-"))
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    return folder
