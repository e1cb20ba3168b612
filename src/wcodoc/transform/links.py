"""Links within the document: ``[the scope](#scope)`` leads to an identifier the author gave.

pandoc Markdown's internal link names the identifier of a heading (``## Scope {#scope}``) or of
a span (``[text]{#scope}``). Numbering keeps such a plain identifier (one without ``:``) as a
*link target* (:func:`wcodoc.transform.nodes.link_target`) that every writer keeps: a Word
bookmark, an HTML ``id``. A link that leads to no identifier of the document is reported where
it stands, since the reader would click on nothing; one that names a label (``#par:aim``) is
told to become a reference, which prints the number.

Warning code: ``link``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from wcodoc.errors import Problems
from wcodoc.parse.reader import Source, locate
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.pandocast import Node
from wcodoc.transform.targets import Label

# What pandoc Markdown needs to write a link to an identifier: "](#", "]: #", "<#" — a document
# whose sources have none of it holds no internal link, and is not walked.
_MAY_LINK_WITHIN = re.compile(r"\]\(\s*<?#|\]:\s*<?#")


def check_links(
    blocks: list[Node], sources: Sequence[Source], labels: Mapping[str, Label], problems: Problems
) -> None:
    """Warn about each internal link of ``blocks`` (the document) that leads nowhere."""
    if not any(_MAY_LINK_WITHIN.search(source.text) for source in sources):
        return
    targets: set[str] = set()
    links: list[Node] = []

    def visit(node: Node) -> None:
        if node["t"] == "Link":
            if node["c"][2][0].startswith("#"):
                links.append(node)
        elif node["c"][0][0] and nodes.LABEL not in node["c"][0][1]:
            targets.add(node["c"][0][0])

    pandocast.walk(blocks, visit, only=("Link", "Span"))
    for link in links:
        identifier = link["c"][2][0][1:]
        if identifier not in targets:
            path, line = locate(link, sources, "#" + identifier)
            problems.warning(_nowhere(identifier, labels), path, line, code="link")


def _nowhere(identifier: str, labels: Mapping[str, Label]) -> str:
    if identifier in labels:
        return f"link to '#{identifier}', a label: write @{identifier} to print its number"
    return f"link to '#{identifier}' leads nowhere: no heading or span has {{#{identifier}}}"
