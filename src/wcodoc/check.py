"""Check a project without building it: every error a build would hit, and style warnings.

:func:`check_project` loads the project and runs the build's own assembly (parse, number,
annex, cover, resolve, and the lint of :mod:`wcodoc.transform.lint`) with no file written,
then checks the house-style data, so ``wcodoc build`` and ``wcodoc check`` agree on what is
wrong. Error codes added here: ``style`` (house-style data), ``yaml``/``meta``/``load`` (a load
error).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wcodoc.build import assemble
from wcodoc.errors import Problem, Problems, Severity, WcodocError
from wcodoc.load.project import load_project
from wcodoc.ooxml.safe import open_docx
from wcodoc.render.template import STYLES

# --- house style --------------------------------------------------------------------------


def check_house_style(project: Any, problems: Problems) -> None:
    """The committee, labels, vocabularies and Word template the build will use."""

    style, meta = project.style, project.meta
    where = meta.lines.get("reference", (project.metadata_path, None))
    try:
        committee = style.data("committees.yaml")[meta.symbol.prefix]
        names = committee[meta.locale]
        if not (names.get("name") and names.get("abbr")):
            raise KeyError(meta.locale)
    except (KeyError, TypeError, AttributeError):
        problems.error(
            f"house style: committees.yaml has no name and abbr for {meta.symbol.prefix!r} "
            f"in language {meta.locale!r}",
            *where,
            code="style",
        )
    for name in (f"labels-{meta.locale}.yaml", "vocabularies.yaml"):
        try:
            if not isinstance(style.data(name), dict):
                problems.error("house style: expected a mapping of keys", name, code="style")
        except WcodocError as exc:
            problems.error(f"house style: {exc.message}", exc.path or name, exc.line, code="style")
    missing = _missing_styles(style.reference_docx, [s.name for s in STYLES])
    if missing:
        problems.error(
            f"Word template lacks the styles {', '.join(missing)}", style.reference_docx, code="style"
        )


def _missing_styles(reference: Path, names: Sequence[str]) -> list[str]:

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        with open_docx(reference) as package:
            root = package.xml("word/styles.xml")
    except (WcodocError, KeyError):
        return list(names)
    defined = {el.get(f"{w}val") for el in root.iter(f"{w}name")}
    return [name for name in names if name not in defined and name.lower() not in defined]


# --- the whole check -----------------------------------------------------------------------


def check_project(path: Path | str = ".", strict: bool = False) -> list[Problem]:
    """Every problem a build of ``path`` would meet, without writing any file.

    Errors come first, then warnings, each group in file and line order. With ``strict``,
    warnings are returned as errors (the CLI then fails on them).
    """

    problems = Problems()
    try:
        project = load_project(path)
        assemble(project, use_cache=False, problems=problems)
        check_house_style(project, problems)
    except WcodocError as exc:
        _absorb(problems, exc)
    found = sorted(_unique(problems), key=Problem.sort_key)
    if strict:
        found = [_as_error(p) for p in found]
    return found


def _absorb(problems: Problems, error: WcodocError) -> None:
    if error.problems:
        problems.extend(p for p in error.problems if p not in problems)
    else:
        problems.error(error.message, error.path, error.line, code=_code_of(error))


def _code_of(error: WcodocError) -> str:
    if "YAML" in error.message:
        return "yaml"
    if error.path is not None and Path(error.path).name == "document.yaml":
        return "meta"
    return "load"


def _unique(problems: Sequence[Problem]) -> list[Problem]:
    seen: dict[Problem, None] = {}
    for problem in problems:
        seen.setdefault(problem, None)
    return list(seen)


def _as_error(problem: Problem) -> Problem:
    if problem.is_error:
        return problem
    return Problem(problem.message, problem.path, problem.line, problem.code, Severity.ERROR)
