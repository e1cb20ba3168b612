"""``wcodoc session init|list|build|status|follow``: a session folder and all its documents."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from wcodoc.commands.options import formats_option
from wcodoc.errors import WcodocError
from wcodoc.fsutil import shown_path
from wcodoc.load.metadata import MEETINGS
from wcodoc.load.sessionconfig import RegisterEntry, Session
from wcodoc.load.symbol import MAX_SERIAL
from wcodoc.session import open_session
from wcodoc.session.documents import (
    DocumentBuild,
    DocumentBuilt,
    DocumentFailed,
    DocumentSkipped,
    DocumentStatus,
    SessionBuild,
    build_session,
)
from wcodoc.session.init import create_session
from wcodoc.session.listing import list_session
from wcodoc.session.translations import TranslationStatus, mark_followed, translation_status

MAX_WIDTH = 1000
"""Width of ``session list`` when not on a terminal: wide enough that no line is cut."""

SESSION_OPTION = click.option(
    "--session",
    "-s",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    show_default=True,
    help="Session folder (or any folder inside it).",
)


@click.group()
def session() -> None:
    """Start a session folder, list, build or check the translations of its documents."""


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return "never"
    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def _version(symbol) -> str:
    """The whole version of a symbol: ``a``, or edition and letter (``2a`` of ``PC0701E2a``)."""
    return str(symbol)[len(symbol.base) :]


def _row(status: DocumentStatus, duplicates: list[Path]) -> list[str]:
    name = escape(status.root.name)
    if status.project is None:
        message = escape(status.error.message) if status.error else "cannot be loaded"
        return [name, "", "", "", f"[red]{message}[/]", "", "", "", "[red]error[/]"]
    meta = status.project.meta
    if status.last_built is None:
        state = "[yellow]not built[/]"
    else:
        state = "[green]up to date[/]" if status.fresh and not status.missing else "[yellow]out of date[/]"
        if status.missing:
            state += f" (no {', '.join(f.upper() for f in status.missing)})"
    if status.edited:  # the hand edit first: a build would refuse to overwrite it
        edited = f"[red]edited since built[/]: {', '.join(escape(p.name) for p in status.edited)}"
        state = edited if status.fresh and not status.missing else f"{edited}; {state}"
    if duplicates:
        others = ", ".join(f"{d.name}/" for d in duplicates)
        state = f"[red]duplicate symbol[/] (also {escape(others)}); {state}"
    return [
        name,
        str(meta.symbol),
        meta.kind,
        escape(meta.agenda_item or ""),
        escape(status.title),
        _version(meta.symbol),
        meta.issued.isoformat(),
        _when(status.last_built),
        state,
    ]


def _reserved_row(entry: RegisterEntry) -> list[str]:
    where = f"session.yaml:{entry.line}" if entry.line else "session.yaml"
    state = f"[cyan]reserved[/] ({where})"
    return ["", entry.symbol.base, "", "", escape(entry.title or ""), "", "", "", state]


def _registered_twice_row(entries: tuple[RegisterEntry, ...]) -> list[str]:
    places = ", ".join(
        f"{entry.folder + '/' if entry.folder else 'reserved'} (session.yaml:{entry.line})"
        for entry in entries
    )
    times = "twice" if len(entries) == 2 else f"{len(entries)} times"
    state = f"[red]registered {times}[/]: {escape(places)}; keep one entry"
    return ["", entries[0].symbol.base, "", "", "", "", "", "", state]


def _misplaced_row(root: Path, session: Session) -> list[str]:
    rel = root.relative_to(session.root).as_posix()
    hint = f"[red]not built: move it to {session.root.name}/{root.name}[/]"
    return [escape(rel), "", "", "", "", "", "", "", hint]


def _session_numbers(ctx: click.Context, param: click.Parameter, value: str) -> list[int]:
    try:
        return [int(part) for part in value.replace(" ", "").split(",") if part]
    except ValueError:
        raise click.BadParameter(f"expected one or two numbers such as 237,238, got {value!r}") from None


@session.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--committee", required=True, help="Body prefix whose serials the session hands out, e.g. PC.")
@click.option("--sessions", required=True, callback=_session_numbers, help="Session numbers, e.g. 237,238.")
@click.option(
    "--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD."
)
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option("--place", default="Brussels", show_default=True, help="Where the meeting is held.")
@click.option("--meeting", type=click.Choice(list(MEETINGS)), default=None, help="Kind of meeting.")
@click.option(
    "--language", type=click.Choice(["E", "F"]), default="E", show_default=True, help="Of new documents."
)
@click.option(
    "--first-serial",
    type=click.IntRange(1, MAX_SERIAL),
    default=None,
    help="First serial `wcodoc new` hands out, e.g. 720 for PC0720E (default: 1).",
)
def init(
    folder: Path,
    committee: str,
    sessions: list[int],
    start: dt.datetime,
    end: dt.datetime,
    place: str,
    meeting: str | None,
    language: str,
    first_serial: int | None,
) -> None:
    """Start the session folder FOLDER: session.yaml, .gitignore and templates/."""
    created = create_session(
        folder,
        committee=committee,
        sessions=sessions,
        start=start.date(),
        end=end.date(),
        place=place,
        meeting=meeting,
        language=language,
        first_serial=first_serial,
    )
    for path in created.written:
        click.echo(f"wrote {shown_path(path)}{'/' if path.is_dir() else ''}")
    click.echo(f"start a document with: cd {shown_path(created.root)} && wcodoc new NAME --title TITLE")


@session.command("list")
@SESSION_OPTION
def list_documents(folder: Path) -> None:
    """Print the session's documents: symbol, kind, item, title, version, dates, build state.

    Serials reserved in the register (entries without a folder) are listed too, and so are
    symbols used by two folders, serials the register holds twice, and projects nested where
    ``session build`` cannot see them.
    """
    current = open_session(folder)
    listing = list_session(current)
    rows = [_row(status, listing.duplicates.get(status.root, [])) for status in listing.documents]
    rows += [_reserved_row(entry) for entry in listing.reserved]
    rows += [_registered_twice_row(entries) for entries in listing.registered_twice]
    rows += [_misplaced_row(root, current) for root in listing.misplaced]
    click.echo(f"Session {current.root.name} ({current.path})")
    _print_table(LIST_COLUMNS, rows)


LIST_COLUMNS = ("folder", "symbol", "kind", "item", "title", "version", "issued", "last built", "build")
WRAPPED = ("title", "build")
"""Only these columns wrap, between words; every other cell is printed whole."""


def _print_table(columns: tuple[str, ...], rows: list[list[str]]) -> None:
    """Print ``rows`` so that no word is ever cut.

    On a wide enough terminal only the title and state wrap, between words. When piped, or
    on a terminal too narrow for the words, the table takes the width it needs (the terminal
    wraps the long lines) rather than folding cells mid-word.
    """
    console = Console(soft_wrap=False)
    table = Table(
        box=box.HEAVY_HEAD if console.is_terminal else box.SIMPLE_HEAD, pad_edge=console.is_terminal
    )
    for column in columns:
        table.add_column(column, no_wrap=column not in WRAPPED)
    for row in rows:
        table.add_row(*row)
    if not console.is_terminal:
        wide = Console(width=MAX_WIDTH, soft_wrap=False, no_color=True, highlight=False)
        with wide.capture() as captured:
            wide.print(table)
        lines = [line.rstrip() for line in captured.get().splitlines()]
        click.echo("\n".join(line for line in lines if line))
        return
    shortest = _shortest_width(console, table, columns, rows)
    if console.width < shortest:
        natural = Measurement.get(console, console.options.update_width(MAX_WIDTH), table).maximum
        console = Console(width=natural, soft_wrap=False)
    console.print(table)


def _shortest_width(console: Console, table: Table, columns: tuple[str, ...], rows: list[list[str]]) -> int:
    """The narrowest the table can be with whole cells, wrapped columns cut between words only."""
    width = 1
    for i, column in enumerate(columns):
        cells = [column, *(Text.from_markup(row[i]).plain for row in rows)]
        words = [w for cell in cells for w in (cell.split() if column in WRAPPED else [cell])]
        width += max((len(w) for w in words), default=0) + 3
    return width


def _status_lines(status: TranslationStatus, width: int, symbol_width: int) -> list[str]:
    """A document's line of ``session status``, then one line for each changed block that the
    first line does not name by its number (a table, a footnote, a paragraph deleted …)."""
    head = f"{status.folder:<{width}}  {status.reference or '?':<{symbol_width}}"
    if status.translation_of is None:
        return [f"{head}  {status.problem}" if status.problem else f"{head}  original"]
    follows = f"follows {status.follows or '?'}"
    listed = [block for block in status.changed_blocks if not block.named_by_number]
    if not status.behind:
        text = f"{follows}: up to date"
    else:
        text = f"{follows}, original now {status.original or '?'}"
        if status.changed_paragraphs or listed:
            text += f": {_changed_summary(status.changed_paragraphs, len(listed))}"
        elif not status.problem:
            text += ": nothing changed but the symbol and the issue date"
    line = f"{head}  {text}" + (f" ({status.problem})" if status.problem else "")
    kind_width = max((len(block.kind) for block in listed), default=0)
    return [line, *(f"    {block.kind:<{kind_width}}  {block.location}" for block in listed)]


def _changed_summary(paragraphs: tuple[str, ...], listed: int) -> str:
    """``paragraphs 3, 5 changed``, ``paragraph 3 and these 2 blocks changed:``, ``this block
    changed:`` (the blocks are listed below the line)."""
    named = f"{'paragraph' if len(paragraphs) == 1 else 'paragraphs'} {', '.join(paragraphs)}"
    blocks = "this block" if listed == 1 else f"these {listed} blocks"
    if not listed:
        return f"{named} changed"
    return f"{named} and {blocks} changed:" if paragraphs else f"{blocks} changed:"


@session.command("status")
@SESSION_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output."
)
def status(folder: Path, fmt: str) -> None:
    """Which translations are behind their original, and what changed in it since."""
    statuses = translation_status(open_session(folder))
    if fmt == "json":
        click.echo(json.dumps({"documents": [s.as_json() for s in statuses]}, ensure_ascii=False, indent=2))
        return
    width = max((len(s.folder) for s in statuses), default=0)
    symbol_width = max((len(s.reference or "?") for s in statuses), default=0)
    for status in statuses:
        for line in _status_lines(status, width, symbol_width):
            click.echo(line)


@session.command("follow")
@click.argument("translation", type=click.Path(path_type=Path, file_okay=False))
def follow(translation: Path) -> None:
    """Mark TRANSLATION as up to date with its original's current version."""
    before, now = mark_followed(translation.resolve())
    click.echo(
        f"{translation.name}: follows {now}" + (f" (was {before})" if before and before != now else "")
    )


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
@formats_option("What to write for each document.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 32),
    default=None,
    help="Documents built at once (default: up to 4).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Rebuild documents whose outputs are up to date; overwrite built files edited since.",
)
def build(folder: Path, formats: tuple[str, ...], jobs: int | None, force: bool) -> None:
    """Build every document of the session in parallel; exit 1 if any failed."""
    current = open_session(folder)
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

        built = build_session(current, formats, jobs=jobs, force=force, progress=progress, done=done)
    outcomes = built.documents
    failed = [o for o in outcomes if o.state == "failed"]
    counts = {state: sum(o.state == state for o in outcomes) for state in ("built", "skipped", "failed")}
    console.print(
        f"{counts['built']} built, {counts['skipped']} up to date, {counts['failed']} failed", highlight=False
    )
    if line := _conversions(built):
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    if failed:
        names = ", ".join(o.root.name for o in failed)
        raise WcodocError(f"{len(failed)} of {len(outcomes)} documents failed: {names}")


def _conversions(built: SessionBuild) -> str:
    """``PDFs: 6 by 127.0.0.1:40211, 6 by 127.0.0.1:40857 (started for this build)``, and the
    servers given up, and the PDFs made by a LibreOffice of their own."""
    made = [f"{count} by {server}" for server, count in built.converted.items()]
    if built.started and made:
        made[-1] += " (started for this build)"
    if built.cold:
        made.append(f"{built.cold} by a LibreOffice of their own")
    if not made:
        return ""
    line = f"PDFs: {', '.join(made)}"
    if built.dropped:
        gone = ", ".join(built.dropped)
        line += f"; {gone} stopped answering and was given up (its documents were converted elsewhere)"
    return line
