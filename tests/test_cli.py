"""The CLI's contract: one-line errors, exit statuses, no traceback even for our own bugs."""

import pytest

from wcodoc import cli
from wcodoc.build import ALL, FORMATS
from wcodoc.commands.options import FORMAT_CHOICES
from wcodoc.errors import WcodocError


def run(monkeypatch, capsys, argv, failure):
    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr("wcodoc.commands.build.build_project", fail)
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    return info.value.code, capsys.readouterr().err


def test_user_error_is_one_line(monkeypatch, capsys, tmp_path):
    code, err = run(
        monkeypatch,
        capsys,
        ["build", str(tmp_path)],
        WcodocError("sessions: expected a number", tmp_path / "document.yaml", 7),
    )
    assert code == 1
    assert err.strip().endswith("document.yaml:7: sessions: expected a number")
    assert len(err.strip().splitlines()) == 1


def test_bug_is_one_line_without_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("WCODOC_DEBUG", raising=False)
    code, err = run(monkeypatch, capsys, ["build", str(tmp_path)], RuntimeError("boom"))
    assert code == 70
    assert err.startswith("internal error: RuntimeError: boom") and "Traceback" not in err


def test_debug_shows_the_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("WCODOC_DEBUG", "1")
    monkeypatch.setattr(
        "wcodoc.commands.build.build_project", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom"))
    )
    with pytest.raises(RuntimeError):
        cli.main(["build", str(tmp_path)])


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["build", "--format", "odt"])
    assert info.value.code == 2
    assert "Invalid value for '--format'" in capsys.readouterr().err


def test_help_lists_every_command_without_importing_it():
    """``wcodoc --help`` shows each command's own first line, from the table in ``cli``."""
    for name, line in cli.COMMANDS.items():
        command = cli.load_command(name)
        assert command is not None and command.name == name
        assert command.get_short_help_str(10_000) == line
    assert cli.load_command("nonsense") is None


def test_help_starts_without_the_library():
    import subprocess
    import sys

    code = (
        "import sys\nfrom wcodoc.cli import main\nsys.argv = ['wcodoc', '--help']\n"
        "try: main()\nexcept SystemExit: pass\nprint(sorted(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = out.strip().splitlines()[-1]
    for heavy in ("lxml", "docx", "babel", "rich", "ruamel", "pikepdf", "wcodoc.build", "importlib.metadata"):
        assert f"'{heavy}'" not in loaded


@pytest.mark.parametrize("path", [["build"], ["watch"], ["revise"], ["session", "build"]])
def test_every_command_that_builds_offers_the_formats_of_the_writers(path):
    command = cli.load_command(path[0])
    for name in path[1:]:
        command = command.commands[name]
    (option,) = [p for p in command.params if p.name == "formats"]
    assert (list(option.type.choices), option.default) == (["docx", "pdf", "html", "all"], ("all",))
    assert list(FORMAT_CHOICES) == [*FORMATS, ALL]  # all: each project's formats (tests/test_build.py)


def test_several_formats_are_asked_for_by_repeating_the_option(make_project):
    """``--format pdf --format html`` writes both (and the DOCX the PDF is made from), not only
    the last one named."""
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["build", str(root), "--format", "docx", "--format", "html"])
    assert exit_info.value.code == 0
    assert sorted(p.name for p in (root / "build").glob("PC0685Ea.*")) == ["PC0685Ea.docx", "PC0685Ea.html"]


def test_commands_run_in_a_subfolder_of_a_document_work_on_the_document(tmp_path):
    """``build``, ``check``, ``usecases list`` and ``diff`` run in ``chapters/`` act on the
    document around it, as they do in the document folder (paths shown from where they run)."""
    from tests.session.folders import edit, git_session
    from tests.test_corpus import run_wcodoc

    document = git_session(tmp_path) / "smart-customs"
    (document / "annexes" / "use-cases" / "01-kr.md").write_text(USE_CASE)
    edit(document.parent)
    commands = {
        "build": (["build", "--format", "docx"], "wrote ../build/PC0791Ea.docx"),
        "check": (["check"], ""),
        "usecases": (["usecases", "list"], "kr-export"),
        "diff": (["diff", "HEAD"], "A new third paragraph."),
    }
    for args, shown in commands.values():
        here = run_wcodoc(args, document)
        inside = run_wcodoc(args, document / "chapters")
        assert here.returncode == inside.returncode == 0, (args, inside.stderr)
        assert shown in inside.stdout and inside.stdout.replace("../", "") == here.stdout, args


USE_CASE = """\
---
id: kr-export
title: Blockchain for export clearance
member: Korea
region: asia-pacific
technologies: [blockchain]
status: pilot
year: 2021
---
## Background

Text.
"""
