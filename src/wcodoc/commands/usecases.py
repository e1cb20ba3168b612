"""``wcodoc usecases list|new|import``: look after the pool of use cases of a project."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from wcodoc.errors import Problems
from wcodoc.fsutil import shown_path
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.messages import unknown_choice
from wcodoc.transform.usecases import UseCase, load_use_cases, matches, order, select
from wcodoc.workflow.usecasefiles import Fields, Pool, import_docx, new_use_case, open_pool

PROJECT_OPTION = click.option(
    "--project",
    "-p",
    "project",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    show_default=True,
    help="Project folder.",
)


def _allowed(vocabulary: str, option: str, value: str, style: HouseStyle) -> str:
    problem = unknown_choice(value, list(style.vocabulary(vocabulary)))
    if problem is not None:
        raise click.BadParameter(problem, param_hint=option)
    return value


def _technologies(value: str, style: HouseStyle) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in value.split(",") if k.strip())
    if not keys:
        raise click.BadParameter("give at least one key, such as blockchain,iot", param_hint="--technologies")
    for key in keys:
        _allowed("technologies", "--technologies", key, style)
    return keys


def _console() -> Console:
    # Piped output is read by scripts and tests: do not cut long titles to 80 columns.
    return Console(width=None if sys.stdout.isatty() else 200, highlight=False)


@click.group()
def usecases() -> None:
    """List, create and import the use cases of the annex."""


def _annex_numbers(pool: Pool, cases: list[UseCase]) -> dict[str, int]:
    """The number each use case gets in the document's annex (when the project has one)."""
    project = pool.project
    if project is None:
        return {case.id: n for n, case in enumerate(cases, start=1)}
    settings = project.meta.annex
    if not settings.enabled:
        return {}
    chosen = order(select(cases, settings), settings.order, pool.style)
    return {case.id: n for n, case in enumerate(chosen, start=1)}


@usecases.command(name="list")
@click.argument("project", type=click.Path(path_type=Path, file_okay=False), default=".", required=False)
@click.option("--technology", "-t", help="Only use cases with this technology key.")
@click.option("--region", "-r", help="Only use cases from this region key.")
@click.option("--status", "-s", help="Only use cases with this status key.")
def list_(project: Path, technology: str | None, region: str | None, status: str | None) -> None:
    """Print the use cases of PROJECT (default: the current folder) as a table."""
    pool = open_pool(project)
    given = {
        "technologies": ("--technology", technology),
        "regions": ("--region", region),
        "statuses": ("--status", status),
    }
    include = {
        name: (_allowed(name, option, value, pool.style),)
        for name, (option, value) in given.items()
        if value is not None
    }
    problems = Problems()
    cases = load_use_cases(pool.paths, pool.style, problems)
    problems.raise_if_errors()
    numbers = _annex_numbers(pool, cases)
    shown = [c for c in cases if matches(c, include)]
    console = _console()
    if not shown:
        console.print("No use case matches." if cases else f"No use cases in {pool.folder}.")
        return
    console.print(_table(shown, numbers, pool))


def _table(cases: list[UseCase], numbers: dict[str, int], pool: Pool) -> Table:
    table = Table(show_lines=False)
    for title in ("No.", "id", "Title", "Member", "Region", "Technologies", "Status", "Year", "File"):
        table.add_column(title, overflow="fold")

    def name(vocabulary: str, key: str) -> str:
        return pool.style.display_name(vocabulary, key, pool.locale)

    for case in cases:
        table.add_row(
            str(numbers.get(case.id, "–")),
            case.id,
            case.title,
            case.member,
            name("regions", case.region),
            ", ".join(case.technologies),
            name("statuses", case.status),
            str(case.year),
            case.path.name,
        )
    return table


@usecases.command()
@click.argument("ident", metavar="ID")
@PROJECT_OPTION
@click.option("--title", help="Title of the use case.")
@click.option("--member", help="Member administration or organization.")
@click.option("--region", help="Region key (see `wcodoc usecases list`).")
@click.option("--technologies", help="Technology keys, comma-separated.")
@click.option("--status", default="concept", show_default=True, help="Status key.")
@click.option("--year", type=click.IntRange(1950, 2100), default=None, help="Year (default: this year).")
def new(
    ident: str,
    project: Path,
    title: str | None,
    member: str | None,
    region: str | None,
    technologies: str | None,
    status: str,
    year: int | None,
) -> None:
    """Write annexes/use-cases/NN-ID.md from the template (placeholders for what is not given)."""
    pool = open_pool(project)
    fields = Fields(
        id=ident,
        title=title,
        member=member or Fields.member,
        region=Fields.region if region is None else _allowed("regions", "--region", region, pool.style),
        technologies=_technologies(technologies, pool.style) if technologies else Fields.technologies,
        status=_allowed("statuses", "--status", status, pool.style),
        year=year or dt.date.today().year,
    )
    path = new_use_case(pool, fields)
    click.echo(f"wrote {shown_path(path)}")
    if "TODO" in path.read_text(encoding="utf-8"):
        click.echo("fill in the TODO values and the four sections", err=True)


@usecases.command(name="import")
@click.argument("docx", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--id", "ident", required=True, help="Label of the new use case, e.g. ke-cargo-tracking.")
@click.option("--member", required=True, help="Member administration or organization.")
@click.option("--region", required=True, help="Region key.")
@click.option("--technologies", required=True, help="Technology keys, comma-separated.")
@click.option("--title", help="Title (default: the Word file's title or first heading).")
@click.option("--status", default="implemented", show_default=True, help="Status key.")
@click.option("--year", type=click.IntRange(1950, 2100), default=None, help="Year (default: this year).")
@PROJECT_OPTION
def import_(
    docx: Path,
    ident: str,
    member: str,
    region: str,
    technologies: str,
    title: str | None,
    status: str,
    year: int | None,
    project: Path,
) -> None:
    """Turn a Member's Word submission DOCX into a use-case source file."""
    pool = open_pool(project)
    fields = Fields(
        id=ident,
        title=title,
        member=member,
        region=_allowed("regions", "--region", region, pool.style),
        technologies=_technologies(technologies, pool.style),
        status=_allowed("statuses", "--status", status, pool.style),
        year=year or dt.date.today().year,
    )
    result = import_docx(docx, pool, fields)
    click.echo(f"wrote {shown_path(result.path)}")
    for image in result.media:
        click.echo(f"wrote {shown_path(image)}")
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
