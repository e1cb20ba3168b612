"""Load a document project: find ``document.yaml``, validate it, list the source files."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from wcodoc.errors import Problems, WcodocError
from wcodoc.fsutil import is_inside
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.metadata import DOCUMENT_YAML, DocumentMeta, Layer, read_meta, salvage_meta
from wcodoc.load.sessionconfig import SESSION_YAML, TEMPLATES_DIR, session_layers, session_templates
from wcodoc.load.yamlio import load_yaml
from wcodoc.writes.journal import Held, held, refuse_half_written

CHAPTERS_DIR = "chapters"
ANNEXES_DIR = Path("annexes")
"""Each Markdown file directly in it is an annex of its own (its ``#`` heading is the title)."""
USE_CASES_DIR = ANNEXES_DIR / "use-cases"


@dataclass(frozen=True)
class Project:
    """A document project on disk, its metadata validated."""

    root: Path
    meta: DocumentMeta
    style: HouseStyle
    chapters: tuple[Path, ...]
    """Chapter files (absolute), in build order."""
    use_cases: tuple[Path, ...]
    """Use-case files (absolute), in file-name order (the annex may reorder them)."""
    annex_files: tuple[Path, ...] = ()
    """Annexes written as Markdown (``annexes/*.md``, absolute), in file-name order; they come
    before the annex of use cases."""

    @property
    def metadata_path(self) -> Path:
        return self.root / DOCUMENT_YAML

    def sources(self) -> list[Path]:
        """Every file the build reads from the project (for caches and up-to-date checks)."""
        return [self.metadata_path, *self.chapters, *self.annex_files, *self.use_cases]


def find_project_root(path: Path) -> Path:
    """The project folder for ``path``: a folder holding ``document.yaml``, the file itself, or
    any folder or file inside a project (``chapters/``), the way git finds its repository."""
    path = Path(path)
    if path.is_file() and path.name == DOCUMENT_YAML:
        return path.parent
    if not path.exists():
        raise WcodocError("no such project folder", path)
    root = enclosing_project(path)
    if root is None:
        raise WcodocError(f"not a wcodoc project: {DOCUMENT_YAML} not found{_hint(path)}", path)
    return root


def enclosing_project(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` holding ``document.yaml``, or ``None``.

    The search stops at a session folder and at the top of a git repository: a document is
    never inside either, and a stray ``document.yaml`` above them belongs to something else.
    """
    path = Path(path)
    for folder in [path, *path.resolve().parents]:
        if (folder / DOCUMENT_YAML).is_file():
            return folder
        if (folder / SESSION_YAML).is_file() or (folder / ".git").exists():
            return None
    return None


def project_lock(path: Path | str, *, resumes: str | None = None) -> contextlib.AbstractContextManager[Held]:
    """Hold the lock of the project at ``path`` (``document.yaml.lock``), for a command that
    writes its sources or ``document.yaml``; what an interrupted command left is finished
    first (:func:`wcodoc.writes.journal.held`)."""
    return held(find_project_root(Path(path)).resolve() / DOCUMENT_YAML, resumes=resumes)


def _hint(folder: Path) -> str:
    """Where the user probably meant to be: the session's commands."""
    if (folder / SESSION_YAML).is_file():
        return (
            f"; this is a session folder ({SESSION_YAML}): use 'wcodoc session build' or "
            "'wcodoc session list', or name a document: 'wcodoc build FOLDER'"
        )
    return ""


def metadata_layers(root: Path) -> list[Layer]:
    """The metadata layers of a project: inherited session values, then ``document.yaml``."""
    try:
        data = load_yaml(root / DOCUMENT_YAML)
    except WcodocError as error:  # unreadable (not UTF-8, too large…): a problem of the metadata
        error.code = error.code or "meta"
        raise
    return [*session_layers(root), Layer(root / DOCUMENT_YAML, data)]


def _listed(
    root: Path,
    listed: tuple[Path, ...] | None,
    default_dir: Path,
    key: str,
    meta: DocumentMeta,
    problems: Problems,
) -> tuple[Path, ...]:
    if listed is None:
        folder = root / default_dir
        found = sorted(folder.glob("*.md")) if folder.is_dir() else []
        for path in found:
            if not is_inside(path, root):
                problems.error("a link to a file outside the project folder", path, code="path")
        return tuple(p for p in found if is_inside(p, root))
    where = meta.lines.get(key, (root / DOCUMENT_YAML, None))
    paths = []
    for rel in listed:
        path = root / rel
        if rel.is_absolute() or not is_inside(path, root):
            problems.error(f"{key}: {str(rel)!r} is outside the project folder", *where, code="path")
        elif not path.is_file():
            problems.error(f"{key}: file {str(rel)!r} not found", *where, code="path")
        else:
            paths.append(path)
    return tuple(paths)


def load_project(path: Path | str = ".", problems: Problems | None = None) -> Project:
    """Load and validate the project at ``path``; raise :class:`WcodocError` with every problem.

    Given ``problems``, mistakes in the metadata are appended there instead and the project is
    returned with stand-in values for the keys in error (:func:`salvage_meta`), so that a
    ``check`` or ``build`` reports the body's problems in the same run; the caller must fail
    on ``problems``. Mistakes that leave nothing to go on with are raised all the same.
    """
    root = find_project_root(Path(path)).resolve()
    refuse_half_written(root / DOCUMENT_YAML)
    go_on = problems is not None
    problems = problems if problems is not None else Problems()
    templates = root / TEMPLATES_DIR
    style = HouseStyle(templates if templates.is_dir() else None, session_templates(root))
    # Like chapters, house-style files are read only from inside the project.
    if style.templates_dir is not None and not is_inside(templates, root):
        problems.error("a link to a folder outside the project folder", templates, code="path")
    else:
        for override in style.files():
            if override.parent == templates and not is_inside(override, root):
                problems.error("a link to a file outside the project folder", override, code="path")
    problems.raise_if_errors()
    layers = metadata_layers(root)
    before = len(problems)
    meta = read_meta(layers, problems)
    style.check(problems, meta)
    found = [p for p in problems[before:] if p.is_error]
    if go_on and found and all(p.code == "meta" for p in found):  # house-style errors stop here
        meta = salvage_meta(layers, found)
    elif found:
        meta = None
    if meta is None or not go_on:
        problems.raise_if_errors()
    assert meta is not None
    chapters = _listed(root, meta.chapters, Path(CHAPTERS_DIR), "chapters", meta, problems)
    use_cases = _listed(root, meta.annexes, USE_CASES_DIR, "annexes", meta, problems)
    annex_files = _listed(root, None, ANNEXES_DIR, "annexes", meta, problems)
    if not chapters and not problems.errors:
        problems.error(
            f"no chapters: add Markdown files to {CHAPTERS_DIR}/", root / DOCUMENT_YAML, code="path"
        )
    if not go_on or not chapters:
        problems.raise_if_errors()
    return Project(
        root=root, meta=meta, style=style, chapters=chapters, use_cases=use_cases, annex_files=annex_files
    )
