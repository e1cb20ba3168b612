"""The CLI's contract: one-line errors, exit statuses, no traceback even for our own bugs."""

import pytest

from wcodoc import cli
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
