"""Writers: stages 4–5 of the build, one folder per output format.

``docx/`` lowers the transform's format-neutral nodes into Word fields and styles, writes the
DOCX in parts with pandoc against the house-style ``reference.docx``, splices and finishes it.
"""
