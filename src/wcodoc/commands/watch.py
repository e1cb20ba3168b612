"""``wcodoc watch``: rebuild on save."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from wcodoc.commands.options import (
    force_option,
    format_option,
    outdir_option,
    project_argument,
)
from wcodoc.commands.output import format_error
from wcodoc.workflow.watch import BuildFailed, Built, FilesChanged, WatchEvent, watch_project


@click.command()
@project_argument
@outdir_option
@format_option
@force_option
def watch(project: Path, outdir: Path | None, formats: tuple[str, ...], force: bool) -> None:
    """Rebuild PROJECT whenever a source is saved (Ctrl-C to stop)."""
    console = Console(stderr=True, highlight=False)

    def report(event: WatchEvent) -> None:
        match event:
            case FilesChanged():
                console.print(f"[cyan]changed:[/] {', '.join(p.name for p in event.paths)}")
            case Built():
                console.print(f"[green]built {event.fmt}[/] in {event.seconds:.1f} s")
            case BuildFailed():
                console.print(f"[red]{event.fmt} failed:[/] {escape(format_error(event.error))}")

    console.print(f"watching {project} (Ctrl-C to stop)")
    watch_project(project, report, outdir=outdir, formats=formats, force=force)
