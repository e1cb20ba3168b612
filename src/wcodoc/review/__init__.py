"""A round of Members' comments: read the returned copies (``collect``), write the compilation
(``compilation``), and bring accepted changes into the sources (``apply``)."""
