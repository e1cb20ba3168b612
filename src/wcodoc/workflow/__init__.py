"""What the Secretariat does around builds: new documents, revisions, language pairs, watch,
use-case files.

The top layer of the library with :mod:`wcodoc.review` and :mod:`wcodoc.session`: it may use
every stage, the build and the diff; only the CLI (:mod:`wcodoc.commands`) sits above it.
"""
