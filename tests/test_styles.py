"""The style-name registry and the template agree: every name defined, numbering where said."""

from __future__ import annotations

from wcodoc import styles
from wcodoc.render.docx.template import STYLES

REGISTRY = [v for v in vars(styles).values() if isinstance(v, styles.ParagraphStyle)]


def test_the_template_defines_every_registered_style_but_words_own():
    defined = {s.style for s in STYLES}
    assert defined == set(REGISTRY) - {styles.NORMAL}


def test_numbered_styles_are_the_ones_with_a_list():
    assert {s.name for s in STYLES if s.num_id is not None} == {s.name for s in REGISTRY if s.numbered}


def test_style_ids_are_the_names_without_spaces_or_hyphens():
    assert styles.SUB_ITEM.style_id == "SubItem"
    assert styles.HEADING_1.id_in({"Heading 1": "Kop1"}) == "Kop1"  # a Dutch Word's id
    assert styles.FOOTER_NOTICE.id_in({}) == "FooterNotice"
