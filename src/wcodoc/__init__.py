"""wcodoc: assemble WCO committee working documents from Markdown sources."""


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata on first use: importing
    ``importlib.metadata`` costs more than the rest of ``wcodoc --help`` together."""
    if name != "__version__":
        raise AttributeError(f"module 'wcodoc' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("wcodoc")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
