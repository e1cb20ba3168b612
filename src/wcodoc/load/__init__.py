"""Load a document project: find it, read and validate its metadata, house style and session.

Stage 1 of the build. Nothing here runs pandoc or writes a document: it turns files the
Secretariat edits (``document.yaml``, ``session.yaml``, ``templates/``) into checked values.
"""
