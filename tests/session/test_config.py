"""A session's ``session.yaml`` (read by :mod:`wcodoc.load.sessionconfig`): values inherited by
its documents, every problem of the file reported with its line."""

from __future__ import annotations

import pytest

from tests.session.folders import SESSION_YAML
from wcodoc.errors import WcodocError
from wcodoc.load.project import load_project
from wcodoc.load.sessionconfig import read_session


def errors(root) -> list[str]:
    with pytest.raises(WcodocError) as info:
        load_project(root)
    return [f"{p.path.name}:{p.line}: {p.message}" for p in info.value.problems or [info.value]]


def test_documents_inherit_unless_they_set_the_key(session_dir):
    one = load_project(session_dir / "one").meta
    two = load_project(session_dir / "two").meta
    assert one.sessions == (235, 236) and one.meeting == "hybrid" and one.dates.start.day == 25
    assert two.meeting == "virtual" and two.sessions == (235, 236)
    assert one.lines["meeting"][0].name == "session.yaml"
    assert two.lines["meeting"][0].name == "document.yaml"


def test_error_in_inherited_value_names_session_yaml(session_dir):
    (session_dir / "session.yaml").write_text(SESSION_YAML.replace("sessions: [235, 236]", "sessions: April"))
    assert errors(session_dir / "one") == [
        "session.yaml:2: sessions: expected one or two session numbers such as [235, 236], got 'April'"
    ]


def test_unknown_session_key_with_suggestion(session_dir):
    (session_dir / "session.yaml").write_text(SESSION_YAML + "metting: virtual\n")
    assert errors(session_dir / "one") == ["session.yaml:6: unknown key 'metting' (did you mean 'meeting'?)"]
    with pytest.raises(WcodocError) as info:
        read_session(session_dir / "session.yaml")
    assert (info.value.line, info.value.message) == (6, "unknown key 'metting' (did you mean 'meeting'?)")


def test_session_yaml_validation_reports_everything(session_dir):
    bad = SESSION_YAML.replace("committee: PC", "committee: PX") + "language: D\nregister: [XX1, PC0686E]\n"
    (session_dir / "session.yaml").write_text(bad)
    with pytest.raises(WcodocError) as info:
        read_session(session_dir / "session.yaml", ["NC", "PC"])
    found = [(p.line, p.message.split(":")[0]) for p in info.value.problems]
    assert found == [(1, "committee"), (6, "language"), (7, "register")]
    assert info.value.problems[0].message.endswith("known prefixes: NC, PC")
