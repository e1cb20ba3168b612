"""Check a project without building it: every error a build would hit, and style warnings.

:func:`check_project` loads the project and runs the build's own assembly (parse, number,
annex, cover, resolve, and the lint of :mod:`wcodoc.transform.lint`) with no file written,
then checks the Word template's styles, so ``wcodoc build`` and ``wcodoc check`` agree on what
is wrong. Error codes added here: ``style`` (the Word template; loading reports the house-style
YAML with the same code), ``yaml``/``meta``/``load`` (a load error).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wcodoc.build import assemble
from wcodoc.errors import Problem, Problems, Severity, WcodocError
from wcodoc.load.metadata import DOCUMENT_YAML
from wcodoc.load.project import Project, load_project
from wcodoc.ooxml.safe import open_docx
from wcodoc.ooxml.styles import StyleIds
from wcodoc.render.template import STYLES

# --- house style --------------------------------------------------------------------------


def check_house_style(project: Project, problems: Problems) -> None:
    """The Word template the build will use: does it define every style the build assigns?

    The YAML data of the house style (committees, terms, vocabularies) is checked when the
    project is loaded (:meth:`wcodoc.load.housestyle.HouseStyle.check`), by builds too.
    """

    style = project.style
    missing = _missing_styles(style.reference_docx, [s.name for s in STYLES])
    if missing:
        problems.error(
            f"Word template lacks the styles {', '.join(missing)}", style.reference_docx, code="style"
        )


def _missing_styles(reference: Path, names: Sequence[str]) -> list[str]:
    try:
        with open_docx(reference) as package:
            defined = StyleIds(package.xml("word/styles.xml"))
    except (WcodocError, KeyError):
        return list(names)
    return [name for name in names if name not in defined]


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
    if error.path is not None and Path(error.path).name == DOCUMENT_YAML:
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
