"""HTML pages: ``page`` is the one page template and stylesheet, used by the diff report and
the review compilation."""
