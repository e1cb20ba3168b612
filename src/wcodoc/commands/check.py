"""``wcodoc check``: report every problem of a project without building it."""

from __future__ import annotations

from pathlib import Path

import click

from wcodoc.check import check_project
from wcodoc.commands.output import problem_line
from wcodoc.errors import Problem


@click.command()
@click.argument("project", type=click.Path(path_type=Path), default=".", required=False)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--pair",
    nargs=2,
    type=click.Path(path_type=Path),
    default=None,
    metavar="EN_PROJECT FR_PROJECT",
    help="Instead, check that two language versions have the same sections, paragraphs and use cases.",
)
def check(project: Path, strict: bool, pair: tuple[Path, Path] | None) -> int:
    """Check PROJECT (default: the current folder): metadata, chapters, labels, use cases, images.

    Prints one line per problem, ``FILE:LINE: message [code]`` (a warning led by ``warning:``),
    errors first, as ``build`` prints them; prints nothing when all is well. Exit status 1 when
    there are errors (or warnings, with --strict).
    """
    if pair is not None:
        from wcodoc.workflow.pairs import compare_pair

        problems = compare_pair(*pair)
    else:
        problems = check_project(project, strict=strict)
    show(problems)
    failed = any(p.is_error for p in problems) or (strict and bool(problems))
    return 1 if failed else 0


def show(problems: list[Problem]) -> None:
    """Errors then warnings, one line each, as ``build`` prints them (:func:`problem_line`)."""
    for problem in sorted(problems, key=Problem.sort_key):
        click.echo(problem_line(problem))
