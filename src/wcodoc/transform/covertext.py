"""The strings of the cover page, computed from metadata and terms.

Pure functions: no file is read here except through :class:`~wcodoc.load.housestyle.HouseStyle`,
and every word comes from the house-style terms (``labels-en.yaml``, ``labels-fr.yaml``) so
a translator can correct them without touching code.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.dates import format_date, get_month_names

from wcodoc.errors import WcodocError
from wcodoc.load.housestyle import Committee, HouseStyle
from wcodoc.load.metadata import DateRange, DocumentMeta
from wcodoc.transform.typography import FirstDay

COMMITTEE_LINE = 20
"""Characters per line of the committee name in the cover's narrow left column."""
BABEL_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


@dataclass(frozen=True)
class Run:
    """A piece of text, possibly raised (the ``th`` of ``235th``)."""

    text: str
    superscript: bool = False


@dataclass(frozen=True)
class CoverText:
    """Everything a working document's cover prints, in the document's language."""

    letterhead: tuple[str, ...]
    committee: str
    """The body's name in capitals: ``PERMANENT TECHNICAL COMMITTEE``."""
    committee_lines: tuple[str, ...]
    """The same, broken over lines for the left column."""
    meeting: str | None
    """``(HYBRID MEETING)``; ``None`` for an in-person meeting."""
    sessions: tuple[Run, ...]
    """``235th/236th Sessions`` with the ordinal suffixes raised; empty without sessions."""
    dates: str | None
    symbol: str
    issued: str
    title: str
    subtitle: str | None
    agenda_item: str | None
    summary_heading: str
    purpose_label: str
    action_label: str
    separator: tuple[str, ...]


def ordinal_rules(terms: Mapping[str, Any]) -> Mapping[str, Any]:
    """The suffix rules in use: the ``ordinal_styles`` entry named by ``ordinal_style``
    (French ``long`` 235ème, ``short`` 235e), else the ``ordinals`` term."""
    name = terms.get("ordinal_style")
    if name is None:
        return terms["ordinals"]
    styles = terms.get("ordinal_styles") or {}
    if name not in styles:
        known = ", ".join(map(str, styles)) or "none"
        raise WcodocError(f"house style: ordinal_style {name!r} is not in ordinal_styles (known: {known})")
    return styles[name]


def ordinal(number: int, terms: Mapping[str, Any]) -> tuple[Run, Run]:
    """``235`` → ``235`` + raised ``th`` by the language's suffix rules (:func:`ordinal_rules`)."""
    rules = ordinal_rules(terms)
    suffix = _lookup(rules.get("exact"), number)
    if suffix is None:
        suffix = _lookup(rules.get("last_two"), number % 100)
    if suffix is None:
        suffix = _lookup(rules.get("last_one"), number % 10)
    if suffix is None:
        suffix = rules["other"]
    return Run(str(number)), Run(str(suffix), superscript=True)


def _lookup(table: Mapping[Any, Any] | None, key: int) -> Any:
    if not table:
        return None
    # YAML may give the keys as numbers or as strings, depending on how they were written.
    return table.get(key, table.get(str(key)))


def fill_runs(pattern: str, values: Mapping[str, tuple[Run, ...]]) -> tuple[Run, ...]:
    """``pattern`` with each ``{name}`` replaced by the runs in ``values``."""
    runs: list[Run] = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        if literal:
            runs.append(Run(literal))
        if name is not None:
            runs.extend(values[name])
    return tuple(runs)


def session_runs(sessions: tuple[int, ...], terms: Mapping[str, Any]) -> tuple[Run, ...]:
    """``235th/236th Sessions`` or ``42nd Session``; nothing when no session is given."""
    if not sessions:
        return ()
    names = ("first", "second")
    values = {name: ordinal(n, terms) for name, n in zip(names, sessions, strict=False)}
    pattern = terms["session_two"] if len(sessions) == 2 else terms["session_one"]
    return fill_runs(pattern, values)


def babel_locale(locale: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(locale, locale))


def first_day_rule(terms: Mapping[str, Any], locale: str) -> FirstDay | None:
    """How the language prints the first of a month in text, or ``None`` (as typed)."""
    first = terms.get("first_day")
    if not first:
        return None
    return FirstDay(str(first), bool(terms.get("first_day_raised")), month_names(locale))


def month_names(locale: str) -> frozenset[str]:
    """The names of the months in ``locale``, in lower case (``janvier`` … ``décembre``)."""
    return frozenset(name.lower() for name in get_month_names("wide", locale=babel_locale(locale)).values())


_DAY_FIELD = re.compile(r"'(?:[^']|'')*'|(?<![d])d(?!d)")
"""A quoted literal of a Babel pattern (kept), or its day-of-month field ``d``."""


def day_pattern(pattern: str, day: dt.date, terms: Mapping[str, Any]) -> str:
    """``pattern`` with the day written as the ``first_day`` term on the first of a month.

    Babel writes ``1 mars``; French typography wants ``1er mars`` (``first_day: 1er``).
    """
    first = terms.get("first_day")
    if day.day != 1 or not first:
        return pattern
    literal = "'" + str(first).replace("'", "''") + "'"
    return _DAY_FIELD.sub(lambda m: literal if m.group() == "d" else m.group(), pattern)


def _format(day: dt.date, pattern: str, locale: str, terms: Mapping[str, Any]) -> str:
    return format_date(day, day_pattern(pattern, day, terms), locale=babel_locale(locale))


def format_day(day: dt.date, locale: str, terms: Mapping[str, Any]) -> str:
    """One date in the house pattern: ``7 March 2022``, ``7 mars 2022``, ``1er mars 2023``."""
    return _format(day, terms["date"], locale, terms)


def format_range(dates: DateRange, locale: str, terms: Mapping[str, Any]) -> str:
    """The meeting dates, sharing month and year where they can: ``25-29 April 2022``."""
    start, end = dates.start, dates.end
    if start == end:
        return format_day(start, locale, terms)
    if (start.year, start.month) == (end.year, end.month):
        key, sep = "date_range_same_month", terms["range_separator_same_month"]
    elif start.year == end.year:
        key, sep = "date_range_same_year", terms["range_separator"]
    else:
        key, sep = "date_range_other_year", terms["range_separator"]
    first, last = terms[key]
    return f"{_format(start, first, locale, terms)}{sep}{_format(end, last, locale, terms)}"


def issued_line(meta: DocumentMeta, terms: Mapping[str, Any]) -> str:
    """``Brussels, 7 March 2022.`` with the place in the document's language."""
    place = (terms.get("places") or {}).get(meta.place, meta.place)
    return terms["issued"].format(place=place, date=format_day(meta.issued, meta.locale, terms))


def committee_lines(name: str, width: int = COMMITTEE_LINE) -> tuple[str, ...]:
    """The committee name in capitals, broken between words into short lines."""
    return tuple(textwrap.wrap(name.upper(), width=width, break_long_words=False)) or ("",)


def find_committee(meta: DocumentMeta, style: HouseStyle) -> Committee:
    """The body named by the symbol's prefix, or an error pointing at ``reference``."""
    try:
        return style.committee(meta.symbol.prefix, meta.locale)
    except KeyError:
        path, line = meta.lines.get("reference", (None, None))
        known = ", ".join(style.prefixes)
        raise WcodocError(
            f"reference: no committee with prefix {meta.symbol.prefix!r} in the house style "
            f"(known: {known}); add it to templates/committees.yaml",
            path,
            line,
            code="meta",
        ) from None


def cover_text(meta: DocumentMeta, style: HouseStyle) -> CoverText:
    """Every string of the cover for ``meta``."""
    terms = style.terms(meta.locale)
    committee = find_committee(meta, style)
    return CoverText(
        letterhead=tuple(terms["letterhead"]),
        committee=committee.name.upper(),
        committee_lines=committee_lines(committee.name),
        meeting=(terms["meeting"] or {}).get(meta.meeting),
        sessions=session_runs(meta.sessions, terms),
        dates=format_range(meta.dates, meta.locale, terms) if meta.dates else None,
        symbol=str(meta.symbol),
        issued=issued_line(meta, terms),
        title=meta.title.upper(),
        subtitle=terms["subtitle"].format(subtitle=meta.subtitle) if meta.subtitle else None,
        agenda_item=terms["agenda_item"].format(item=meta.agenda_item) if meta.agenda_item else None,
        summary_heading=terms["summary"],
        purpose_label=terms["purpose"],
        action_label=terms["action"].format(committee=committee.name, abbr=committee.abbr),
        separator=tuple(terms["separator"]),
    )
