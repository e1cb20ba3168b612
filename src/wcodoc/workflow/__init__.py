"""What the Secretariat does around builds: new documents, revisions, sessions, watch, use cases.

The top layer of the library: it may use every stage, the build and the diff; only the CLI
(:mod:`wcodoc.commands`) sits above it.
"""
