"""``wcodoc revise`` on a session report: issued after its meeting, redlined against git."""

from __future__ import annotations

import subprocess

from click.testing import CliRunner

from tests.support.report import INSERTED, items_table, report_project
from wcodoc.commands.diff import diff as diff_command
from wcodoc.commands.revise import revise as revise_command


def _git(root, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True
    )


def test_a_report_issued_after_its_meeting_is_no_slip_one_issued_during_it_is(tmp_path):
    root = report_project(tmp_path / "report")  # the meeting ends on 2024-04-26
    after = CliRunner().invoke(revise_command, [str(root), "--issued", "2024-05-20"])
    assert after.exit_code == 0, after.output
    assert after.output.strip() == "PC0700Ea → PC0700Eb, issued 2024-05-20"
    during = CliRunner().invoke(revise_command, [str(root), "--issued", "2024-04-24"])
    assert during.exit_code == 0, during.output
    assert "issued: 2024-04-24 is before the meeting's last day (2024-04-26) [issued]" in during.output


def test_a_report_revised_with_a_redline_against_the_committed_draft(tmp_path):
    root = report_project(tmp_path / "report")
    (root / ".gitignore").write_text("build/\n")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "PC0700Ea")
    chapter = root / "chapters" / "01-opening.md"
    chapter.write_text(chapter.read_text().replace("its report.\n", f"its report.\n\n{INSERTED}\n"))
    result = CliRunner().invoke(
        revise_command, [str(root), "--issued", "2024-05-20", "--redline", "--format", "docx"]
    )
    assert result.exit_code == 0, result.output
    assert "[issued]" not in result.output
    assert items_table(root / "build" / "PC0700Eb.docx")[3] == [
        "a.",
        "Activities of the Secretariat",
        "3 - 5",
    ]
    shown = CliRunner().invoke(diff_command, ["HEAD", str(root)], catch_exceptions=False)
    assert shown.output.splitlines()[1:] == [
        "cover (reference): modified",
        "    [-PC0700Ea-]{+PC0700Eb+}",
        "cover (issued): modified",
        "    Brussels, [-10-]{+20+} May 2024.",
        "paragraph 4: inserted after paragraph 3",
        f"    + {INSERTED}",
    ]
