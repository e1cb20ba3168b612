"""Parse sources to pandoc's JSON AST: the one pandoc wrapper, batched reads and the AST cache.

Stage 2 of the build.
"""
