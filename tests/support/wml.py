"""Short inline WordprocessingML fixtures: ``xml("<w:p><w:r><w:t>x</w:t></w:r></w:p>")``."""

from __future__ import annotations

import re

from lxml import etree

from wcodoc.ooxml import W_NS


def xml(text: str) -> etree._Element:
    """Parse a fragment, declaring the ``w:`` namespace on its root element."""
    return etree.fromstring(re.sub(r"^<([\w:]+)", rf'<\1 xmlns:w="{W_NS}"', text, count=1))
