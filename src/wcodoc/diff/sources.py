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
from dataclasses import replace
from pathlib import Path
from tempfile import mkdtemp

from wcodoc.errors import WcodocError
from wcodoc.fsutil import control_character
from wcodoc.load.metadata import DOCUMENT_YAML
from wcodoc.load.project import TEMPLATES_DIR
from wcodoc.load.sessionconfig import SESSION_YAML
from wcodoc.load.yamlio import parse_yaml

GIT_TIMEOUT = 120


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise WcodocError("git not found; install git to compare revisions") from None
    except subprocess.TimeoutExpired:
        raise WcodocError(f"git {args[0]} took longer than {GIT_TIMEOUT} s") from None


AUTHOR_ENV = "WCODOC_AUTHOR"
DEFAULT_AUTHOR = "wcodoc"
"""Who a redline's changes are by when nobody is named, in the environment or in git."""


def redline_author(given: str | None, cwd: Path | None = None) -> str:
    """Who a redline's changes are by: ``given``, else :func:`default_author`; refused when it
    holds a control character, which a Word file cannot hold."""
    author = given or default_author(cwd)
    if bad := control_character(author):
        raise WcodocError(f"author {author!r}: control character {bad}, which a Word file cannot hold")
    return author


def default_author(cwd: Path | None = None, fallback: str = DEFAULT_AUTHOR) -> str:
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


def _git_text(args: list[str], cwd: Path) -> str:
    return _git(args, cwd).stdout.decode("utf-8", "replace").strip()


def _present_at(revision: str, path: str, top: Path) -> bool:
    return _git(["cat-file", "-e", f"{revision}:{path}"], top).returncode == 0


def _exported_paths(revision: str, project: Path, top: Path) -> list[str]:
    """The project folder and what it inherits from above it at ``revision``: each enclosing
    folder's ``session.yaml`` and session ``templates/``, when the revision has them."""
    prefix = project.relative_to(top).as_posix()
    paths = [prefix] if prefix != "." else ["."]
    for folder in project.parents:
        if folder == top.parent or not folder.is_relative_to(top):
            break
        for name in (SESSION_YAML, TEMPLATES_DIR):
            rel = (folder / name).relative_to(top).as_posix()
            if _present_at(revision, rel, top):
                paths.append(rel)
    return paths


def _export_revision(revision: str, project: Path, workdir: Path) -> Path:
    """Extract ``project`` (a folder of the working tree) as it was at ``revision``.

    ``git archive`` runs at the top of the repository with paths from there, so it works the
    same from any folder (run in a subfolder, git reads pathspecs relative to it).
    """
    top_text = _git_text(["rev-parse", "--show-toplevel"], project)
    if not top_text:
        raise WcodocError(f"revision {revision}: not inside a git repository", project)
    top = Path(top_text).resolve()
    project = project.resolve()
    prefix = project.relative_to(top).as_posix()
    if not _present_at(revision, f"{prefix}/{DOCUMENT_YAML}" if prefix != "." else DOCUMENT_YAML, top):
        raise WcodocError(
            f"revision {revision} has no {DOCUMENT_YAML} in this folder (was the project committed?)",
            project,
        )
    archive = _git(["archive", "--format=tar", revision, "--", *_exported_paths(revision, project, top)], top)
    if archive.returncode != 0:
        message = archive.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WcodocError(f"git archive {revision} failed: {message[0] if message else '?'}")
    target = workdir / "tree"
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(target, filter=_safe_member)
    except (tarfile.TarError, OSError) as exc:
        raise WcodocError(f"cannot extract revision {revision}: {exc}") from None
    return target / prefix


def _as_in_working_tree(error: WcodocError, exported: Path, project: Path, revision: str) -> WcodocError:
    """``error`` from building the exported copy, naming the user's files, not the copy.

    ``/tmp/…/tree/ptc/doc/chapters/01-x.md:3`` becomes ``ptc/doc/chapters/01-x.md:3`` (the
    file as the working tree has it) with ``(at revision HEAD)`` after the message.
    """
    tree = exported.resolve()

    def place(path: Path | str | None) -> Path | str | None:
        if path is None:
            return None
        try:
            return project / Path(path).resolve().relative_to(tree)
        except ValueError:
            pass
        try:  # session.yaml or session templates above the project
            return project.parent / Path(path).resolve().relative_to(tree.parent)
        except ValueError:
            return path

    def text(message: str) -> str:
        return f"{message.replace(str(tree) + os.sep, '')} (at revision {revision})"

    problems = tuple(replace(p, path=place(p.path), message=text(p.message)) for p in error.problems)
    moved = WcodocError(text(error.message), place(error.path), error.line, problems=problems)
    moved.exit_code = error.exit_code
    return moved


def project_for_revision(folder: Path) -> Path | None:
    """The document project a bare revision (``HEAD``) means when run in ``folder``: the
    nearest folder at or above it holding ``document.yaml``."""
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        if (candidate / DOCUMENT_YAML).is_file():
            return candidate
        if (candidate / SESSION_YAML).is_file() or (candidate / ".git").exists():
            return None
    return None


def resolve_drafts(old: str, new: str, stack: ExitStack, *, cwd: Path | None = None) -> tuple[Path, Path]:
    """The DOCX of both drafts of ``wcodoc diff OLD NEW``.

    A git revision means the project the other argument names (``wcodoc diff HEAD smart-customs``
    from the session folder), else the project around ``cwd`` (``cd smart-customs && wcodoc diff
    HEAD``, from any folder inside the project).
    """
    cwd = Path(cwd or Path.cwd())
    named = [cwd / name for name in (old, new) if (cwd / name / DOCUMENT_YAML).is_file()]
    project = named[0] if named else project_for_revision(cwd)
    if new == "." and project is not None and not named:  # the default NEW, from a subfolder
        new = str(project)
    return (
        resolve_docx(old, stack, cwd=cwd, project=project),
        resolve_docx(new, stack, cwd=cwd, project=project),
    )


def resolve_docx(
    name: str, stack: ExitStack, *, cwd: Path | None = None, project: Path | None = None
) -> Path:
    """The DOCX for ``name``: the file itself, a build of a project folder or of a revision.

    A revision is taken of ``project`` (default: the project around ``cwd``). Temporary
    folders live until ``stack`` closes.
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
        project = project or project_for_revision(cwd)
        if project is None:
            raise WcodocError(
                f"revision {name}: which document? Run this inside a document folder, or name it: "
                f"wcodoc diff {name} FOLDER",
                cwd,
            )
        workdir = _tempdir(stack, "rev")
        exported = _export_revision(name, project, workdir)
        try:
            return _build(exported, workdir / "out")
        except WcodocError as error:
            raise _as_in_working_tree(error, exported, project.resolve(), name) from None
    raise WcodocError("no such file, project folder or git revision", name)


def _tempdir(stack: ExitStack, tag: str) -> Path:
    import shutil

    folder = Path(mkdtemp(prefix=f"wcodoc-diff-{tag}-"))
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    return folder


def commit_where(folder: Path, name: str, key: str, value: str) -> str | None:
    """The newest commit in which ``folder/name`` (a YAML file) had ``key: value``, or ``None``.

    ``wcodoc session status`` finds the original's sources at the version a translation
    follows this way (``reference: PC0701Eb``).
    """
    log = _git(["log", "--format=%H", "--", name], folder)
    if log.returncode != 0:
        return None
    for commit in log.stdout.decode().split():
        shown = _git(["show", f"{commit}:./{name}"], folder)
        if shown.returncode != 0:
            continue
        try:
            data = parse_yaml(shown.stdout.decode("utf-8", "replace"), folder / name)
        except WcodocError:
            continue
        if isinstance(data, dict) and str(data.get(key, "")).strip() == value:
            return commit
    return None
