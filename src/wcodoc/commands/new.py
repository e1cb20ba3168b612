"""``wcodoc new``: start a document project with the next free symbol of the session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from wcodoc.fsutil import shown_path
from wcodoc.load.kinds import DEFAULT_KIND, KIND_SCHEMAS
from wcodoc.workflow.newdoc import create_document


@click.command()
@click.argument("name", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="Title of the document (normal case; printed in capitals).")
@click.option("--item", default=None, help="Agenda item, e.g. V.")
@click.option(
    "--language",
    type=click.Choice(["E", "F"]),
    default=None,
    help="Language letter (default: the session's language, else E).",
)
@click.option(
    "--reference",
    default=None,
    help="Symbol to use instead of allocating one (required outside a session folder).",
)
@click.option(
    "--issued",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date of issue, YYYY-MM-DD (default: today).",
)
@click.option(
    "--kind",
    type=click.Choice(list(KIND_SCHEMAS)),
    default=DEFAULT_KIND,
    show_default=True,
    help="Kind of document: a report takes no --title (made from the committee and sessions).",
)
@click.option(
    "--translation-of",
    "translation_of",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Project to translate: same serial and metadata, other language.",
)
def new(
    name: Path,
    title: str | None,
    item: str | None,
    language: str | None,
    reference: str | None,
    issued: dt.datetime | None,
    translation_of: Path | None,
    kind: str,
) -> None:
    """Create the document project NAME (a new folder) ready to build.

    In a session folder the serial is the next free one for the session's committee and is
    recorded in session.yaml's register.
    """
    if translation_of is None and title is None and "title" in KIND_SCHEMAS[kind].required:
        raise click.UsageError(
            f"Missing option '--title' (a {kind} needs one unless --translation-of is given)."
        )
    created = create_document(
        name,
        title=title,
        item=item,
        language=language,
        reference=reference,
        issued=issued.date() if issued else None,
        translation_of=translation_of,
        kind=kind,
    )
    where = shown_path(created.root)
    click.echo(f"created {where}/ as {created.symbol}")
    if created.session is not None:
        click.echo(f"recorded {created.symbol.base} in {shown_path(created.session)}")
    click.echo(f"build it with: wcodoc build {where}")
