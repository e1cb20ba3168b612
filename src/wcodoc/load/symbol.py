"""The document symbol (reference), e.g. ``PC0685Ea``, ``PC0345E1a``, ``NC0160E2``."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

PREFIX = r"[A-Z]{2}"
"""A body prefix: two capital letters, ``PC``."""
_PATTERN = re.compile(
    rf"(?P<prefix>{PREFIX})(?P<serial>\d{{4}})(?P<language>[A-Z])(?P<edition>\d)?(?P<version>[a-z])?"
)
LANGUAGES = {"E": "en", "F": "fr"}
MAX_SERIAL = 9999
"""Serials have four digits (``PC0685E``): none is handed out past ``PC9999``."""


@dataclass(frozen=True, order=True)
class DocumentSymbol:
    """A WCO document symbol: body prefix, serial, language, edition digit, version letter."""

    prefix: str
    """Two capital letters naming the body, e.g. ``PC`` (Permanent Technical Committee)."""
    serial: int
    """The body's running number, printed with four digits."""
    language: str
    """``E`` for English, ``F`` for French."""
    edition: int | None = None
    """Optional edition digit (``1`` in ``PC0345E1a``)."""
    version: str | None = None
    """Optional lower-case version letter, bumped when a draft is reissued."""

    @classmethod
    def parse(cls, text: str) -> DocumentSymbol:
        """Parse a symbol; raise ``ValueError`` with a readable reason when it is not one."""
        match = _PATTERN.fullmatch(text.strip()) if isinstance(text, str) else None
        if not match:
            raise ValueError(
                f"{text!r} is not a document symbol: expected a 2-letter body prefix, "
                "a 4-digit serial, the language letter E or F, an optional edition digit "
                "and an optional version letter, e.g. PC0685Ea or PC0345E1a"
            )
        language = match["language"]
        if language not in LANGUAGES:
            raise ValueError(f"{text!r}: unknown language letter {language!r} (expected E or F)")
        edition = match["edition"]
        return cls(
            prefix=match["prefix"],
            serial=int(match["serial"]),
            language=language,
            edition=int(edition) if edition is not None else None,
            version=match["version"],
        )

    def __str__(self) -> str:
        edition = "" if self.edition is None else str(self.edition)
        return f"{self.base}{edition}{self.version or ''}"

    @property
    def base(self) -> str:
        """Prefix, serial and language: ``PC0685E``."""
        return f"{self.prefix}{self.serial:04d}{self.language}"

    @property
    def short(self) -> str:
        """The symbol without its version letter, as printed in the page header."""
        return str(replace(self, version=None))

    @property
    def locale(self) -> str:
        """The document's language as a locale code (``en``, ``fr``)."""
        return LANGUAGES[self.language]

    def next_version(self) -> DocumentSymbol:
        """The symbol of the next draft: ``PC0685Ea`` → ``PC0685Eb`` (no letter → ``a``)."""
        if self.version is None:
            return replace(self, version="a")
        if self.version == "z":
            raise ValueError(f"{self}: no version letter after 'z'; start a new edition")
        return replace(self, version=chr(ord(self.version) + 1))

    def next_edition(self) -> DocumentSymbol:
        """The next edition, version letter reset: ``PC0345E1b`` → ``PC0345E2a``."""
        edition = 1 if self.edition is None else self.edition + 1
        if edition > 9:
            raise ValueError(f"{self}: the edition digit cannot go beyond 9")
        return replace(self, edition=edition, version="a")

    def with_language(self, language: str) -> DocumentSymbol:
        """The same document in another language (``E`` ↔ ``F``)."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language letter {language!r} (expected E or F)")
        return replace(self, language=language)
