"""``wcodoc review``: Members' returned copies compiled by paragraph."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from wcodoc.errors import WcodocError
from wcodoc.fsutil import shown_path
from wcodoc.load.project import project_lock
from wcodoc.review.apply import apply_review
from wcodoc.review.apply.plan import Refusal
from wcodoc.review.collect import collect_review
from wcodoc.review.compilation import FORMATS, render, write
from wcodoc.writes.built import OutputRecord
from wcodoc.writes.journal import Journal


@click.group()
def review() -> None:
    """Compile Members' returned copies by paragraph; write accepted changes into the sources."""


def _members(values: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for value in values:
        file, sep, name = value.partition("=")
        if not sep or not file.strip() or not name.strip():
            raise click.BadParameter(f"expected FILE=NAME, got {value!r}", param_hint="--member")
        found[file.strip()] = " ".join(name.split())
    return found


def _format(fmt: str | None, output: Path | None) -> str:
    """``--format``, else the ``-o`` file's extension (DOCX when unknown), else JSON."""
    if fmt is not None:
        return fmt
    if output is None:
        return "json"
    suffix = output.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "docx"


@review.command()
@click.argument("base")
@click.argument("returned", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the compilation to this file (default: JSON on standard output).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="docx, html, json or csv (default: from the -o file's extension, else json).",
)
@click.option(
    "--member",
    "members",
    multiple=True,
    metavar="FILE=NAME",
    help="The Member a returned file comes from, for its edits made without tracking (repeatable).",
)
@click.option("--force", is_flag=True, help="Collect copies of another document (another symbol) too.")
def collect(
    base: str,
    returned: tuple[Path, ...],
    output: Path | None,
    fmt: str | None,
    members: tuple[str, ...],
    force: bool,
) -> None:
    """Compile every change and comment of the RETURNED copies of BASE, by paragraph.

    BASE is what was sent out: a .docx, a project folder or a git revision.
    """
    fmt = _format(fmt, output)
    if fmt == "docx" and output is None:
        raise WcodocError("--format docx needs -o FILE.docx to know where to write")
    compilation = collect_review(base, returned, members=_members(members), force=force)
    if output is None:
        click.echo(render(fmt, compilation), nl=False)
        return
    write(fmt, compilation, output)
    click.echo(f"wrote {shown_path(output)} ({len(compilation.entries)} entries)", err=True)


@review.command()
@click.argument("project", type=click.Path(path_type=Path))
@click.argument("returned", type=click.Path(path_type=Path))
@click.option(
    "--member",
    "members",
    multiple=True,
    metavar="NAME|FILE=NAME",
    help="NAME: apply this Member's changes only; FILE=NAME: the Member of the returned file, "
    "for its edits made without tracking (repeatable).",
)
@click.option(
    "--paragraph",
    "keys",
    multiple=True,
    metavar="KEY",
    help="Apply the changes to this paragraph only (7, 9.b, cover:title; repeatable), over "
    "text changed since the copy was sent if need be.",
)
@click.option(
    "--base",
    default=None,
    help="What was sent out (a .docx, a folder or a git revision; default: found from the "
    "copy's symbol and the project's git history).",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the edits as a unified diff of the sources; write nothing."
)
def apply(
    project: Path,
    returned: Path,
    members: tuple[str, ...],
    keys: tuple[str, ...],
    base: str | None,
    dry_run: bool,
) -> int:
    """Write the changes of RETURNED into PROJECT's Markdown sources and document.yaml.

    What was sent is found from the copy's cover (its symbol) and the project's git history
    (a tag named after the symbol, else the commits of that version), or named with --base.
    A change to words changed since the copy was sent is a conflict: it is reported with both
    texts and not written; name the paragraph with --paragraph to take the copy's wording.
    A change the sources already hold writes nothing.

    Each edit is printed as FILE:LINE; a change that cannot be applied is reported as
    FILE:LINE: reason, and nothing of it is written (exit status 1).
    """
    names = [m for m in members if "=" not in m]
    credited = _members(tuple(m for m in members if "=" in m))
    if dry_run:
        plan = apply_review(project, returned, members=names, credited=credited, paragraphs=keys, base=base)
        click.echo(f"{shown_path(returned)}: a copy of {plan.sent}", err=True)
        click.echo(plan.diff(), nl=False)
    else:
        # What identifies this apply: run again after an interruption, it reports the
        # interrupted run finished instead of applying its changes a second time.
        key = "\n".join([str(returned.resolve()), *sorted(members), "", *sorted(keys), "", base or ""])
        with project_lock(project) as lock:
            if lock.finished is not None:
                click.echo(f"finished the interrupted '{lock.finished.command}'", err=True)
                if lock.finished.kind == "apply" and lock.finished.key == key:
                    return _report_finished(lock.finished)
            plan = apply_review(
                project, returned, members=names, credited=credited, paragraphs=keys, base=base
            )
            click.echo(f"{shown_path(returned)}: a copy of {plan.sent}", err=True)
            plan.write(key)
            if not plan.refused:  # a built file edited by hand: in the sources now, rebuild it
                OutputRecord(returned.parent).adopt(returned)
    for done in plan.applied:
        click.echo(
            f"{shown_path(done.path)}:{done.line}: paragraph {done.paragraph} ({done.member})", err=dry_run
        )
    for done in plan.already:
        click.echo(f"paragraph {done.paragraph} ({done.member}): already in the sources", err=True)
    for refusal in plan.refused:
        _report(refusal, returned)
    return 1 if plan.refused else 0


def _report_finished(journal: Journal) -> int:
    """What the interrupted apply (now finished) wrote and refused, as it would have said."""
    for path, line, paragraph, member in journal.data["applied"]:
        click.echo(f"{shown_path(path)}:{line}: paragraph {paragraph} ({member})")
    for path, line, reason in journal.data["refused"]:
        click.echo(f"{shown_path(path)}:{line}: {reason}" if path else reason, err=True)
    return 1 if journal.data["refused"] else 0


def _report(refusal: Refusal, returned: Path) -> None:
    """A refusal as FILE:LINE: reason; a conflict with both texts and how to choose."""
    place = f"{shown_path(refusal.path)}:{refusal.line}: " if refusal.path is not None else ""
    click.echo(f"{place}paragraph {refusal.paragraph} ({refusal.member}): {refusal.reason}", err=True)
    if refusal.now is not None:
        click.echo(f"    now:      {refusal.now}", err=True)
    if refusal.proposed is not None:
        click.echo(f"    proposed: {refusal.proposed}", err=True)
    if refusal.now is not None and refusal.proposed is not None:
        click.echo(
            # Quoted: Members' files are often named "Korea comments.docx".
            f"    to take the proposal: wcodoc review apply PROJECT {shlex.quote(shown_path(returned))} "
            f"--paragraph '{refusal.paragraph}'",
            err=True,
        )
