"""Pure Python over pandoc's AST: numbering, cross-references, lint, the annex and the cover.

Stage 3 of the build. Every number a reader sees is computed here (the same numbers the diff
and the checks use); paragraph styles come from :mod:`wcodoc.styles`.
"""
