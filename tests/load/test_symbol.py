import pytest

from wcodoc.load.symbol import DocumentSymbol


@pytest.mark.parametrize(
    ("text", "prefix", "serial", "language", "edition", "version"),
    [
        ("PC0685Ea", "PC", 685, "E", None, "a"),
        ("PC0345E1a", "PC", 345, "E", 1, "a"),
        ("NC0160E2", "NC", 160, "E", 2, None),
        ("NC1377E1b", "NC", 1377, "E", 1, "b"),
        ("PB0046F1a", "PB", 46, "F", 1, "a"),
        ("SP0250E", "SP", 250, "E", None, None),
    ],
)
def test_parse_and_print_every_form(text, prefix, serial, language, edition, version):
    symbol = DocumentSymbol.parse(text)
    assert (symbol.prefix, symbol.serial, symbol.language, symbol.edition, symbol.version) == (
        prefix,
        serial,
        language,
        edition,
        version,
    )
    assert str(symbol) == text


@pytest.mark.parametrize(
    "text", ["", "PC685Ea", "pc0685Ea", "PC0685Xa", "PC0685EA", "PC0685E12a", "PC0685Eab", "XPC0685Ea", 685]
)
def test_rejects_what_is_not_a_symbol(text):
    with pytest.raises(ValueError):
        DocumentSymbol.parse(text)


def test_header_form_drops_only_the_version_letter():
    assert DocumentSymbol.parse("PC0685Ea").short == "PC0685E"
    assert DocumentSymbol.parse("PC0345E1a").short == "PC0345E1"
    assert DocumentSymbol.parse("NC0160E2").short == "NC0160E2"


def test_bumps():
    assert str(DocumentSymbol.parse("PC0685Ea").next_version()) == "PC0685Eb"
    assert str(DocumentSymbol.parse("NC0160E2").next_version()) == "NC0160E2a"
    assert str(DocumentSymbol.parse("PC0345E1b").next_edition()) == "PC0345E2a"
    assert str(DocumentSymbol.parse("PC0685Eb").next_edition()) == "PC0685E1a"
    assert str(DocumentSymbol.parse("PC0685Ea").with_language("F")) == "PC0685Fa"
    with pytest.raises(ValueError):
        DocumentSymbol.parse("PC0685Ez").next_version()
