"""Turn what the user named (a DOCX, a project folder, a git revision) into a DOCX to read.

A project folder is built first; a git revision's files are read from git's object store
into a temporary folder and built there, so the working tree is never touched.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from tempfile import mkdtemp

from wcodoc.errors import WcodocError
from wcodoc.fsutil import control_character, is_inside
from wcodoc.load.metadata import DOCUMENT_YAML
from wcodoc.load.project import TEMPLATES_DIR, enclosing_project
from wcodoc.load.sessionconfig import SESSION_YAML
from wcodoc.load.yamlio import parse_yaml

GIT_TIMEOUT = 120


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
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
    return commit_id(name, cwd) is not None


def commit_id(name: str, cwd: Path) -> str | None:
    """The full id of the commit ``name`` names (see :func:`is_revision`), else ``None``."""
    result = _git(["rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], cwd)
    return result.stdout.decode().strip() if result.returncode == 0 else None


def _build(project: Path, workdir: Path) -> Path:
    from wcodoc.build import build_project

    result = build_project(project, workdir, formats=("docx",))
    return Path(result.outputs["docx"])


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

    The files are read as git stores them, through ``git ls-tree`` and ``git cat-file`` run
    at the top of the repository with paths from there (so it works the same from any folder).
    ``git archive`` would honour ``.gitattributes`` written for release tarballs: a chapter
    marked ``export-ignore`` would be missing and ``$Format:…$`` expanded (``export-subst``),
    and a clean tree would differ from its own last commit.
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
    target = workdir / "tree"
    entries = _tree_entries(revision, _exported_paths(revision, project, top), top)
    try:
        _write_entries(entries, _blobs(entries, top), target)
    except OSError as exc:
        raise WcodocError(f"cannot extract revision {revision}: {exc.strerror or exc}") from None
    return target / prefix


_LINK, _EXECUTABLE = "120000", "100755"
"""git's modes of a symbolic link and of an executable file."""


@dataclass(frozen=True)
class _Entry:
    """A file of the revision's tree: its path from the top, git's mode and object."""

    path: str
    mode: str
    object: str

    @property
    def is_link(self) -> bool:
        return self.mode == _LINK


def _tree_entries(revision: str, paths: list[str], top: Path) -> list[_Entry]:
    """The files (links included, submodules left out) under ``paths`` at ``revision``."""
    listing = _git(["ls-tree", "-r", "-z", revision, "--", *paths], top)
    if listing.returncode != 0:
        raise WcodocError(f"git ls-tree {revision} failed: {_first_line(listing)}")
    entries = []
    for record in listing.stdout.split(b"\0"):
        info, _, path = record.partition(b"\t")
        fields = info.decode("ascii", "replace").split()
        if len(fields) == 3 and fields[1] == "blob":
            entries.append(_Entry(os.fsdecode(path), fields[0], fields[2]))
    return entries


def _blobs(entries: list[_Entry], top: Path) -> list[bytes]:
    """The content of each entry, in order: a link as the path it holds, a file as stored, or
    through its smudge filter (Git LFS) where ``.gitattributes`` sets one, as a checkout would.

    Not ``cat-file --batch --filters``: git 2.39 gives the size before filtering in its header
    (a line-end conversion makes the file longer), so the objects cannot be told apart.
    """
    blobs = _cat_file([e.object for e in entries], top)
    for n in _smudged(entries, top):
        entry = entries[n]
        shown = _git(["cat-file", "--filters", f"--path={entry.path}", entry.object], top)
        if shown.returncode != 0:
            raise WcodocError(f"git cannot read {entry.path} through its filter: {_first_line(shown)}")
        blobs[n] = shown.stdout
    return blobs


def _smudged(entries: list[_Entry], top: Path) -> list[int]:
    """The indices of the files that ``.gitattributes`` gives a filter (``filter=lfs``)."""
    files = [e.path for e in entries if not e.is_link]
    if not files:
        return []
    stdin = b"".join(os.fsencode(path) + b"\0" for path in files)
    answer = _git(["check-attr", "-z", "--stdin", "filter"], top, stdin).stdout.split(b"\0")
    triples = zip(answer[0::3], answer[2::3], strict=False)  # path, attribute, value; and again
    filtered = {os.fsdecode(path) for path, value in triples if value not in _NO_FILTER}
    return [n for n, entry in enumerate(entries) if not entry.is_link and entry.path in filtered]


_NO_FILTER = (b"unspecified", b"unset")


def _cat_file(objects: list[str], top: Path) -> list[bytes]:
    """The content of ``objects`` (ids) through one ``git cat-file --batch``, in order."""
    if not objects:
        return []
    result = _git(["cat-file", "--batch"], top, "".join(f"{o}\n" for o in objects).encode("ascii"))
    out, at, blobs = result.stdout, 0, []
    for name in objects:
        end = out.find(b"\n", at)
        header = out[at:end].split()
        if result.returncode != 0 or len(header) != 3 or not header[2].isdigit():
            raise WcodocError(f"git cat-file cannot read object {name}: {_first_line(result)}")
        size = int(header[2])
        blobs.append(out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1  # the object, then a line end
    return blobs


def _first_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else "?"


def _write_entries(entries: list[_Entry], blobs: list[bytes], target: Path) -> None:
    """Write the files under ``target``; a file or link that would leave it is left out (the
    build refuses sources outside the project anyway)."""
    for entry, data in zip(entries, blobs, strict=True):
        path = target / entry.path
        if not is_inside(path, target):  # ".." in a tree git itself would refuse to check out
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if entry.is_link:
            link = os.fsdecode(data)
            if not os.path.isabs(link) and is_inside(path.parent / link, target):
                path.symlink_to(link)
            continue
        path.write_bytes(data)
        if entry.mode == _EXECUTABLE:
            path.chmod(0o755)


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
    root = enclosing_project(folder)
    return root.resolve() if root is not None else None


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


def yaml_history(folder: Path, name: str) -> Iterator[tuple[str, Mapping]]:
    """Each commit that changed ``folder/name`` (a YAML file), newest first, with the mapping the
    file held there; commits where it was no readable mapping are left out.

    ``wcodoc session status`` finds there the commit a translation followed its original at.
    """
    log = _git(["log", "--format=%H", "--", name], folder)
    if log.returncode != 0:
        return
    for commit in log.stdout.decode().split():
        data = yaml_at(commit, folder, name)
        if data is not None:
            yield commit, data


def yaml_at(commit: str, folder: Path, name: str) -> Mapping | None:
    """The mapping ``folder/name`` (a YAML file) held at ``commit``, or ``None``."""
    shown = _git(["show", f"{commit}:./{name}"], folder)
    if shown.returncode != 0:
        return None
    try:
        data = parse_yaml(shown.stdout.decode("utf-8", "replace"), folder / name)
    except WcodocError:
        return None
    return data if isinstance(data, Mapping) else None


def is_shallow(folder: Path) -> bool:
    """Whether the repository around ``folder`` is a shallow clone (its older history missing)."""
    return _git_text(["rev-parse", "--is-shallow-repository"], folder) == "true"
