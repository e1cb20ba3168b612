"""HTML: ``page`` is the one page template and stylesheet (the diff report, the review
compilation, the edition); ``edition`` writes the HTML edition of a document
(``write_html``), from the neutral nodes lowered by ``lower``."""

from wcodoc.render.html5.edition import pictures_folder, write_html

__all__ = ["pictures_folder", "write_html"]
