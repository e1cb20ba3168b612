"""``wcodoc session list|build``: every document of a session folder at once."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from wcodoc.commands.options import FORMAT_CHOICES
from wcodoc.errors import WcodocError
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.sessionconfig import Session, load_session
from wcodoc.workflow.session import (
    DocumentBuild,
    DocumentBuilt,
    DocumentFailed,
    DocumentSkipped,
    DocumentStatus,
    build_session,
    session_status,
)

SESSION_OPTION = click.option(
    "--session",
    "-s",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    show_default=True,
    help="Session folder (or any folder inside it).",
)


def _session(folder: Path) -> Session:
    session = load_session(folder, HouseStyle().prefixes)
    if session is None:
        raise WcodocError("not inside a session folder: no session.yaml here or above", folder)
    return session


@click.group()
def session() -> None:
    """List or build the documents of a session folder (one project per subfolder)."""


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return "never"
    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def _row(status: DocumentStatus) -> list[str]:
    name = status.root.name
    if status.project is None:
        message = status.error.message if status.error else "cannot be loaded"
        return [name, "", "", f"[red]{message}[/]", "", "", "", "[red]error[/]"]
    meta = status.project.meta
    if status.last_built is None:
        state = "[yellow]not built[/]"
    else:
        state = "[green]up to date[/]" if status.fresh else "[yellow]out of date[/]"
        if status.missing:
            state += f" (no {', '.join(f.upper() for f in status.missing)})"
    return [
        name,
        str(meta.symbol),
        meta.agenda_item or "",
        meta.title,
        meta.symbol.version or "",
        meta.issued.isoformat(),
        _when(status.last_built),
        state,
    ]


@session.command("list")
@SESSION_OPTION
def list_documents(folder: Path) -> None:
    """Print the session's documents: symbol, item, title, version, dates, build state."""
    current = _session(folder)
    table = Table(title=f"Session {os.path.relpath(current.root)}")
    # Symbols, dates and versions must stay whole; the title and folder can fold.
    for column in ("folder", "symbol", "item", "title", "version", "issued", "last built", "build"):
        whole = column in ("symbol", "item", "version", "issued")
        table.add_column(column, no_wrap=whole, overflow="fold")
    for status in session_status(current):
        table.add_row(*_row(status))
    Console().print(table)


def _report(console: Console, outcome: DocumentBuild) -> None:
    from wcodoc.commands.output import format_error, report_warnings

    name = outcome.root.name
    match outcome:
        case DocumentFailed(error=error):
            console.print(f"[red]failed[/] {name}", highlight=False)
            console.print(format_error(error), highlight=False, markup=False)
        case DocumentSkipped():
            console.print(f"[dim]up to date[/] {name}", highlight=False)
        case DocumentBuilt(warnings=warnings):
            report_warnings(console, warnings)
            console.print(f"[green]built[/] {name}", highlight=False)


@session.command("build")
@SESSION_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMAT_CHOICES)),
    default="all",
    show_default=True,
    help="What to write for each document.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 32),
    default=None,
    help="Documents built at once (default: up to 4).",
)
@click.option("--force", is_flag=True, help="Rebuild documents whose outputs are up to date.")
def build(folder: Path, fmt: str, jobs: int | None, force: bool) -> None:
    """Build every document of the session in parallel; exit 1 if any failed."""
    current = _session(folder)
    console = Console(stderr=True)
    total = len(current.document_roots())
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("Building", total=total)

        def progress(root: Path, step: str) -> None:
            bar.update(task, description=f"{root.name}: {step}")

        def done(outcome: DocumentBuild) -> None:
            bar.advance(task)
            _report(console, outcome)

        outcomes = build_session(
            current, FORMAT_CHOICES[fmt], jobs=jobs, force=force, progress=progress, done=done
        )
    failed = [o for o in outcomes if o.state == "failed"]
    counts = {state: sum(o.state == state for o in outcomes) for state in ("built", "skipped", "failed")}
    console.print(
        f"{counts['built']} built, {counts['skipped']} up to date, {counts['failed']} failed", highlight=False
    )
    if failed:
        names = ", ".join(o.root.name for o in failed)
        raise WcodocError(f"{len(failed)} of {len(outcomes)} documents failed: {names}")
