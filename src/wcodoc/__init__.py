"""wcodoc: assemble WCO committee working documents from Markdown sources."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wcodoc")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
