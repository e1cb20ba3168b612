"""Create use-case files: ``wcodoc usecases new`` (from the template) and ``import`` (from Word).

A Member's contribution usually arrives as a Word file. The importer lets pandoc read it,
moves its images into ``annexes/use-cases/media/``, maps its headings onto the four sections
where they match loosely, writes the front matter from the options, and validates the result
before anything is written, so an import never leaves a file that breaks the build.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.errors import Problems, WcodocError
from wcodoc.fsutil import atomic_write_bytes, os_errors_reported, read_text
from wcodoc.load.housestyle import BUILTIN_DIR, HouseStyle
from wcodoc.load.messages import unknown_choice
from wcodoc.load.metadata import DOCUMENT_YAML
from wcodoc.load.project import TEMPLATES_DIR, USE_CASES_DIR, Project, enclosing_project, load_project
from wcodoc.load.yamlio import parse_yaml, scalar_text, value_line
from wcodoc.parse.pandoc import docx_to_markdown
from wcodoc.transform.usecases import ID_PATTERN, MAX_ID, UseCase, load_use_cases, split_front_matter
from wcodoc.writes.journal import held
from wcodoc.writes.lock import command_line

TEMPLATE = "use-case-template.md"
MEDIA_DIR = "media"
_NUMBERED_FILE = re.compile(r"^(\d+)-")

# Words that mark each of the four sections in submissions, English and French.
SECTION_WORDS = (
    ("background", "context", "contexte", "introduction", "overview", "problem", "situation"),
    ("solution", "description", "approach", "project", "projet", "implementation", "technology"),
    ("benefits", "benefit", "advantages", "avantages", "results", "outcomes", "impact", "résultats"),
    (
        "challenges",
        "challenge",
        "lessons",
        "difficulties",
        "difficultés",
        "enseignements",
        "learnt",
        "learned",
    ),
)


@dataclass(frozen=True)
class Pool:
    """Where use cases live for a command: the project (or bare folder) and its house style."""

    root: Path
    style: HouseStyle
    paths: tuple[Path, ...]
    locale: str = "en"
    project: Project | None = None
    """The loaded :class:`~wcodoc.load.project.Project` when ``root`` holds a ``document.yaml``."""

    @property
    def folder(self) -> Path:
        return self.root / USE_CASES_DIR


def open_pool(path: Path | str = ".") -> Pool:
    """The use cases of the project at ``path`` (or around it: run in ``chapters/``), or of a
    folder holding ``annexes/use-cases`` that is no project."""
    root = Path(path)
    if not root.is_dir():
        raise WcodocError("no such project folder", root)
    bare = (root / USE_CASES_DIR).is_dir() and not (root / DOCUMENT_YAML).is_file()
    if not bare and (project_root := enclosing_project(root)) is not None:
        project = load_project(project_root)
        return Pool(project.root, project.style, project.use_cases, project.meta.locale, project)
    templates = root / TEMPLATES_DIR
    style = HouseStyle(templates if templates.is_dir() else None)
    folder = root / USE_CASES_DIR
    paths = tuple(sorted(folder.glob("*.md"))) if folder.is_dir() else ()
    if not folder.is_dir():
        raise WcodocError(f"neither {DOCUMENT_YAML} nor {USE_CASES_DIR}/ found", root)
    return Pool(root.resolve(), style, paths)


def check_key(vocabulary: str, key: str, style: HouseStyle) -> str:
    """``key`` if the vocabulary has it, else an error listing the allowed keys."""
    problem = unknown_choice(key, list(style.vocabulary(vocabulary)), f"{vocabulary} key")
    if problem is not None:
        raise WcodocError(problem)
    return key


def check_new_id(ident: str, pool: Pool) -> list[UseCase]:
    """Refuse an id that is not a label or is already taken; return the pool's use cases."""
    if not ID_PATTERN.match(ident) or len(ident) > MAX_ID:
        raise WcodocError(
            f"id {ident!r} is not a valid label: use lowercase letters, digits and single hyphens "
            f"(at most {MAX_ID} characters), such as 'kr-ecommerce-export'"
        )
    for path in pool.paths:
        line = _declares_id(path, ident)
        if line is not None:
            raise WcodocError(f"id {ident!r} is already used", path, line)
    return load_use_cases(pool.paths, pool.style, Problems())


def _declares_id(path: Path, ident: str) -> int | None:
    """The line where the use-case file ``path`` says ``id: IDENT``, even when the rest of it
    does not validate yet (a ``usecases new`` whose TODO values are still to be filled in)."""
    try:
        front = split_front_matter(read_text(path), path)
        data = parse_yaml(front.yaml, path, line_offset=front.yaml_line - 1)
    except WcodocError:
        return None
    if not isinstance(data, Mapping) or str(data.get("id")) != ident:
        return None
    return value_line(data, "id") or 1


def next_path(folder: Path, ident: str) -> Path:
    """``NN-<id>.md`` with NN one more than the highest number in ``folder``."""
    numbers = [int(m.group(1)) for p in folder.glob("*.md") if (m := _NUMBERED_FILE.match(p.name))]
    width = max([2, *(len(m.group(1)) for p in folder.glob("*.md") if (m := _NUMBERED_FILE.match(p.name)))])
    return folder / f"{max(numbers, default=0) + 1:0{width}d}-{ident}.md"


def _free_text(value: str) -> str:
    """Free text (an option, a Word title) as a YAML scalar on one line, white space folded."""
    return scalar_text(" ".join(str(value).split()))


@dataclass(frozen=True)
class Fields:
    """Front-matter values for a new use case (placeholders for what is not known yet)."""

    id: str
    title: str | None = None
    """``None``: a placeholder (``new``) or the Word file's own title (``import``)."""
    member: str = "TODO Member administration"
    region: str = "TODO"
    technologies: tuple[str, ...] = ("TODO",)
    status: str = "concept"
    year: int = field(default_factory=lambda: dt.date.today().year)


def template_text(style: HouseStyle) -> str:
    """The use-case template: the project's ``templates/`` copy, else the built-in one."""
    if style.templates_dir is not None and (style.templates_dir / TEMPLATE).is_file():
        return read_text(style.templates_dir / TEMPLATE)
    return read_text(BUILTIN_DIR / TEMPLATE)


def fill_template(template: str, fields: Fields, style: HouseStyle) -> str:
    """The template with every ``{placeholder}`` replaced."""
    values = {
        "id": fields.id,
        "title": _free_text(fields.title or "TODO title of the use case"),
        "member": _free_text(fields.member),
        "region": fields.region,
        "technologies": ", ".join(fields.technologies),
        "status": fields.status,
        "year": str(fields.year),
        "regions": ", ".join(style.vocabulary("regions")),
        "technologies_allowed": ", ".join(style.vocabulary("technologies")),
        "statuses": ", ".join(style.vocabulary("statuses")),
    }
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


@os_errors_reported("cannot write the use case")
def new_use_case(pool: Pool, fields: Fields) -> Path:
    """Write ``annexes/use-cases/NN-<id>.md`` from the template; never overwrite a file.

    The id and the number are chosen under the project's lock, on the files as they are then:
    two ``usecases new`` at once never take the same id or number.
    """
    with held(pool.root / DOCUMENT_YAML):
        return _write_new(open_pool(pool.root), fields)


def _write_new(pool: Pool, fields: Fields) -> Path:
    check_new_id(fields.id, pool)
    pool.folder.mkdir(parents=True, exist_ok=True)
    target = next_path(pool.folder, fields.id)
    if target.exists():
        raise WcodocError("file exists; not overwriting it", target)
    atomic_write_bytes(target, fill_template(template_text(pool.style), fields, pool.style).encode("utf-8"))
    return target


# import from Word ----------------------------------------------------------------------------


@dataclass
class Imported:
    """What an import wrote and what the user should check."""

    path: Path
    media: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _words(heading: str) -> list[str]:
    heading = re.sub(r"\{[^}]*\}\s*$", "", heading)  # pandoc attributes
    heading = re.sub(r"^\s*(?:[0-9]+|[ivxIVX]+|[A-Za-z])[.)]\s+", "", heading)  # "1. ", "b) "
    return re.findall(r"[^\W\d_]+", heading.casefold())


def match_section(heading: str, sections: list[str]) -> int | None:
    """Index of the section that ``heading`` names (loosely), or ``None``."""
    words = _words(heading)
    if not words:
        return None
    joined = " ".join(words)
    for index, name in enumerate(sections):
        if difflib.SequenceMatcher(None, joined, name.casefold()).ratio() >= 0.8:
            return index
    for index, markers in enumerate(SECTION_WORDS):
        if any(w in markers or difflib.get_close_matches(w, markers, n=1, cutoff=0.85) for w in words):
            return index
    return None


_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\*\*([^*]+)\*\*\s*$")


def map_sections(markdown: str, sections: list[str]) -> tuple[str, list[str], str | None]:
    """Rewrite headings: the four sections as ``##``, other headings as ``###``.

    A paragraph that is only bold text naming a section counts as its heading (Word users
    often type headings that way). Returns the Markdown, the sections found in order, and the
    first unmatched top heading (a title candidate) when it comes before any section.
    """
    out: list[str] = []
    found: list[str] = []
    title: str | None = None
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        heading = _ATX.match(line)
        bold = _BOLD_LINE.match(line) if _alone(lines, i) else None
        text = heading.group(2) if heading else bold.group(1) if bold else None
        if text is None:
            out.append(line)
            continue
        index = match_section(text, sections)
        if index is not None and sections[index] not in found:
            found.append(sections[index])
            out.append(f"## {sections[index]}")
        elif heading and not found and title is None and not "".join(out).strip():
            title = _strip_attributes(text)
        elif heading:
            out.append(f"### {_strip_attributes(text)}")
        else:
            out.append(line)
    return "\n".join(out).strip() + "\n", found, title


def _strip_attributes(heading: str) -> str:
    return re.sub(r"\s*\{[^}]*\}$", "", heading).strip()


def _alone(lines: list[str], i: int) -> bool:
    before = lines[i - 1].strip() if i > 0 else ""
    after = lines[i + 1].strip() if i + 1 < len(lines) else ""
    return not before and not after


def docx_title(docx: Path) -> str | None:
    """The Word file's Title-styled paragraph, if it has one.

    The document title property is not used: Word templates and python-docx fill it with
    "Word Document" or a stale title, which would be imported as if the Member wrote it.
    """
    import docx as python_docx  # heavy import, only needed when importing

    try:
        document = python_docx.Document(str(docx))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise WcodocError(f"cannot read the Word file: {exc}", docx) from None
    for paragraph in document.paragraphs:
        if paragraph.style is not None and paragraph.style.name == "Title" and paragraph.text.strip():
            return " ".join(paragraph.text.split())
    return None


def _move_media(
    markdown: str, extracted: Path, pool: Pool, ident: str
) -> tuple[str, list[tuple[Path, Path]]]:
    """Plan to move each extracted image to ``media/<id>-<name>``; rewrite the Markdown paths."""
    moves = []
    target_dir = pool.folder / MEDIA_DIR
    for image in sorted(p for p in extracted.rglob("*") if p.is_file()):
        target = target_dir / f"{ident}-{image.name}"
        if target.exists():
            raise WcodocError("file exists; not overwriting it", target)
        relative = target.relative_to(pool.root).as_posix()
        markdown = markdown.replace(str(image), relative)
        moves.append((image, target))
    return markdown, moves


@os_errors_reported("cannot write the use case")
def import_docx(docx: Path, pool: Pool, fields: Fields) -> Imported:
    """Turn a Word submission into ``annexes/use-cases/NN-<id>.md`` (and its images)."""
    docx = Path(docx)
    if not docx.is_file():
        raise WcodocError("file not found", docx)
    check_new_id(fields.id, pool)
    check_key("regions", fields.region, pool.style)
    for key in fields.technologies:
        check_key("technologies", key, pool.style)
    check_key("statuses", fields.status, pool.style)
    sections = list(pool.style.terms(pool.locale)["use_case_sections"])
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wcodoc-import-") as tmp:
        markdown = docx_to_markdown(docx, Path(tmp) / "extracted")
        body, found, heading_title = map_sections(markdown, sections)
        title = fields.title or docx_title(docx) or heading_title
        if not title:
            raise WcodocError(
                "the Word file has no title (no Title paragraph or first heading); pass --title", docx
            )
        missing = [s for s in sections if s not in found]
        if missing:
            notes.append(f"sections not recognised: {', '.join(missing)}; check the headings")
        body, moves = _move_media(body, Path(tmp) / "extracted", pool, fields.id)
        front = _front_matter(fields, title, docx)
        text = f"{front}{body}"
        _validate_text(text, pool, docx)
        with held(pool.root / DOCUMENT_YAML) as lock:
            key = f"{docx.resolve()}\n{fields.id}"
            if lock.finished is not None and lock.finished.kind == "usecases" and lock.finished.key == key:
                return _imported(lock.finished.data)
            target = _checked_again(pool, fields, moves)
            imported = Imported(target, [d for _s, d in moves], notes)
            data = {"path": str(target), "media": [str(m) for m in imported.media], "notes": notes}
            with lock.begin("usecases", command_line(), key, [*imported.media, target], data=data) as txn:
                for source, destination in moves:
                    shutil.copyfile(source, txn.staged(destination))
                txn.write(target, text.encode("utf-8"))
                txn.commit()
    return imported


def _checked_again(pool: Pool, fields: Fields, moves: list[tuple[Path, Path]]) -> Path:
    """The new file's path, the id and the images checked again under the project's lock
    (another ``usecases`` command may have written them since they were first checked)."""
    check_new_id(fields.id, open_pool(pool.root))
    for _source, destination in moves:
        if destination.exists():
            raise WcodocError("file exists; not overwriting it", destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
    pool.folder.mkdir(parents=True, exist_ok=True)
    target = next_path(pool.folder, fields.id)
    if target.exists():
        raise WcodocError("file exists; not overwriting it", target)
    return target


def _imported(data: dict) -> Imported:
    """What an interrupted import wrote, from its journal (finished when the lock was taken)."""
    return Imported(Path(data["path"]), [Path(m) for m in data["media"]], list(data["notes"]))


def _front_matter(fields: Fields, title: str, docx: Path) -> str:
    """The use case's front matter; ``title`` stands for ``fields.title`` (the Word file's own
    title when none was given)."""
    return (
        "---\n"
        f"# Imported from {docx.name} on {dt.date.today().isoformat()}; check the text and the sections.\n"
        f"id: {fields.id}\n"
        f"title: {_free_text(title)}\n"
        f"member: {_free_text(fields.member)}\n"
        f"region: {fields.region}\n"
        f"technologies: [{', '.join(fields.technologies)}]\n"
        f"status: {fields.status}\n"
        f"year: {fields.year}\n"
        "---\n"
    )


def _validate_text(text: str, pool: Pool, docx: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="wcodoc-check-") as tmp:
        candidate = Path(tmp) / f"{docx.stem}.md"
        candidate.write_text(text, encoding="utf-8")
        problems = Problems()
        load_use_cases([candidate], pool.style, problems)
        if problems.errors:
            detail = "; ".join(p.message for p in problems.errors)
            raise WcodocError(f"the imported use case does not validate: {detail}", docx)
