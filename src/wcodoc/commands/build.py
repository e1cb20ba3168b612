"""``wcodoc build``: build DOCX and PDF from a document project."""

from __future__ import annotations

import sys
import time
from contextlib import nullcontext
from pathlib import Path

import click
from rich.console import Console

from wcodoc.build import build_project
from wcodoc.commands.options import (
    force_option,
    format_option,
    outdir_option,
    project_argument,
)
from wcodoc.commands.output import report_warnings
from wcodoc.fsutil import shown_path


@click.command()
@project_argument
@outdir_option
@format_option
@click.option("--no-cache", is_flag=True, help="Parse every source again (a cold build).")
@click.option("-j", "--jobs", type=click.IntRange(1, 32), default=None, help="Parallel pandoc processes.")
@force_option
def build(
    project: Path,
    outdir: Path | None,
    formats: tuple[str, ...],
    no_cache: bool,
    jobs: int | None,
    force: bool,
) -> None:
    """Build PROJECT (default: the current folder) into <symbol>.docx and <symbol>.pdf."""
    console = Console(stderr=True)
    interactive = console.is_terminal
    # A spinner names the slow step on a terminal; nothing but the result when piped.
    with console.status("Building…", spinner="dots") if interactive else nullcontext() as status:

        def progress(step: str) -> None:
            if status is not None:
                status.update(f"{step}…")

        started = time.perf_counter()  # not the sum of the stages: the PDF converts during others
        result = build_project(
            project, outdir, formats, use_cache=not no_cache, jobs=jobs, progress=progress, force=force
        )
        total = time.perf_counter() - started
    report_warnings(console, result.warnings)
    for path in result.outputs.values():
        click.echo(f"wrote {shown_path(path)}")
    if interactive:
        console.print(f"[green]done[/] in {total:.1f} s", highlight=False)
    sys.stdout.flush()
