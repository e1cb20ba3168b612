"""The table of kinds: one behaviour per declared kind, and cover fields the diff can trust."""

from __future__ import annotations

from tests.render.docx.test_finish import STYLE, make_meta
from wcodoc.kinds import KINDS, cover_fields, kind_of
from wcodoc.load.kinds import DEFAULT_KIND, KIND_SCHEMAS
from wcodoc.styles import SUMMARY_BULLET, SUMMARY_TEXT
from wcodoc.transform import pandocast


def test_every_declared_kind_has_its_behaviour():
    assert set(KINDS) == set(KIND_SCHEMAS)
    assert all(kind.schema is KIND_SCHEMAS[name] for name, kind in KINDS.items())
    assert kind_of(make_meta()).name == DEFAULT_KIND == "working-document"


def test_kinds_agree_on_the_key_of_a_shared_cover_style():
    for kind in KINDS.values():
        for style, key in kind.cover_fields.items():
            assert cover_fields()[style.name] == key, (kind.name, style.name)


def _styles(blocks: list) -> set[str]:
    """Every paragraph style the blocks use, inside tables too."""
    found: set[str] = set()
    pandocast.walk(blocks, lambda div: found.add(dict(div["c"][0][2]).get("custom-style", "")), only=("Div",))
    return found - {""}


def test_the_diff_can_read_back_every_paragraph_of_a_cover():
    meta = make_meta()
    for kind in KINDS.values():
        styles = _styles(kind.cover(meta, STYLE))
        unread = styles - set(cover_fields()) - {SUMMARY_TEXT.name, SUMMARY_BULLET.name}
        assert styles and not unread, (kind.name, unread)
