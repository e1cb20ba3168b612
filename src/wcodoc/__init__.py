"""wcodoc: assemble WCO committee working documents from Markdown sources."""

__version__ = "0.1.0"
"""The one place the version is written (``pyproject.toml`` reads it from here): a constant,
because looking it up in the installed metadata imports ``importlib.metadata``, which costs
more than the rest of ``wcodoc --help`` together and enters every cache key."""
