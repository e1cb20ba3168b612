"""One module per CLI command; each defines one click command named after it."""
