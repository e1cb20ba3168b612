"""Compare drafts: extract → align → report / redline."""
