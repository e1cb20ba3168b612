"""``wcodoc revise``: reissue a draft under the next symbol, keeping document.yaml as written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.console import Console

from wcodoc.commands.options import author_option, formats_option
from wcodoc.commands.output import report_warnings
from wcodoc.diff.sources import DEFAULT_AUTHOR, redline_author
from wcodoc.fsutil import shown_path
from wcodoc.workflow.revise import revise_project, revise_with_redline


@click.command()
@click.argument("project", type=click.Path(path_type=Path), default=".", required=False)
@click.option(
    "--issued",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="New date of issue, YYYY-MM-DD (default: today).",
)
@click.option("--edition", is_flag=True, help="Start a new edition (PC0345E1b → PC0345E2a).")
@click.option(
    "--redline",
    is_flag=True,
    help="Build the new draft and its redline against the draft committed in git (HEAD).",
)
@click.option("--against", default="HEAD", show_default=True, help="Git revision of the previous draft.")
@formats_option("Outputs of --redline.")
@author_option(DEFAULT_AUTHOR)
def revise(
    project: Path,
    issued: dt.datetime | None,
    edition: bool,
    redline: bool,
    against: str,
    formats: tuple[str, ...],
    author: str | None,
) -> None:
    """Bump the symbol of PROJECT (PC0685Ea → PC0685Eb), set the issue date, record the history."""
    day = issued.date() if issued else None
    if redline:  # all or nothing: document.yaml changes only if the redline is written
        revision = revise_with_redline(
            project,
            issued=day,
            edition=edition,
            formats=formats,
            against=against,
            author=redline_author(author, project),
        )
    else:
        revision = revise_project(project, issued=day, edition=edition)
    if revision.resumed:
        click.echo(f"finishing the interrupted revision to {revision.new} (its options are kept)", err=True)
    click.echo(f"{revision.old} → {revision.new}, issued {revision.issued.isoformat()}")
    report_warnings(Console(stderr=True), revision.warnings)
    for path in revision.outputs.values():
        click.echo(f"wrote {shown_path(path)}")
