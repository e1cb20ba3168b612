"""The publication projects: one English and one French working document with a long table, a
figure, quotations, punctuation, footnotes in two sections (one in paragraph 1) and a use case
with a table. ``tests/conftest.py`` builds each once per test session.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_project
from tests.workflow.test_usecasefiles import png

ROWS = 30
"""Rows of the long table: enough to run over a page break."""


YAML = """\
reference: PC0702{lang}a
title: {title}
meeting: hybrid
sessions: [237, 238]
dates: {{from: 2023-05-30, to: 2023-06-01}}
issued: 2023-03-01
agenda_item: V
"""

FRENCH = """\
# Introduction

Le Secrétariat a révisé l'étude : elle couvre 25 % des Membres ; voir le tableau @tbl:vocab
et la figure @fig:chart. Est-ce suffisant ? Oui ! Le rapport n° 5 pèse 20 kg.[^portee]

[^portee]: La première édition date de 2019.

Le Directeur a dit : « la douane change » et "la technologie aussi" ; voir https://www.wcoomd.org.

| Terme | Définition |
|-------|------------|
{rows}

: Vocabulaire des technologies {{#tbl:vocab}}

![Évolution des déclarations](chart.png){{#fig:chart width=40%}}

# Suite

Le tableau @tbl:vocab et la figure @fig:chart suffisent-ils ? Oui.[^suite] La réunion du
1 mars 2023 les a examinés.

[^suite]: Une note dans la deuxième section.
"""

ENGLISH = """\
# Introduction

The Secretariat revised the study: it covers 25% of Members; see Table @tbl:vocab and
Figure @fig:chart. Is that enough? Yes! The Members' view was "positive".[^scope]

[^scope]: The first edition dates from 2019.

| Term | Definition |
|------|------------|
{rows}

: Vocabulary of technologies {{#tbl:vocab}}

![Declarations processed](chart.png){{#fig:chart width=40%}}

# Outlook

Table @tbl:vocab and Figure @fig:chart will be kept up to date.[^outlook]

[^outlook]: A note in the second section.
"""

USE_CASE = """\
---
id: ci-risk
title: L'analyse des risques
member: Côte d'Ivoire
region: west-central-africa
technologies: [ai-ml, big-data]
status: pilot
year: 2021
---
## {section}

| A | B |
|---|---|
| x | y |

After the table.
"""


def _rows(word: str) -> str:
    text = " ".join([f"{word} numéro {{n}} dont le texte occupe deux lignes de la cellule"] * 2)
    return "\n".join(f"| Mégadonnées {n} | {text.format(n=n)} |" for n in range(1, ROWS + 1))


def publication_project(root: Path, lang: str) -> Path:
    """The English (``E``) or French (``F``) publication project written under ``root``."""
    french = lang == "F"
    chapter = (FRENCH if french else ENGLISH).format(rows=_rows("Ligne" if french else "Row"))
    return write_project(
        root,
        {
            "document.yaml": YAML.format(
                lang=lang, title="L'avenir de la douane" if french else "Customs' future"
            ),
            "chapters/01.md": chapter,
            "chapters/chart.png": png(200, 100),
            "annexes/use-cases/01-ci.md": USE_CASE.format(section="Contexte" if french else "Background"),
        },
    )
