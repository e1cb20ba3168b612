"""The DOCX writer: the generated ``reference.docx`` (``template``), the document written in
parts by pandoc (``parts``), the finishing step (``finish``: sections, header and footer,
properties, deterministic zip) and the annex sections (``annexpages``)."""
