"""Write WordprocessingML: the house-style ``reference.docx`` and the DOCX finishing step.

Stages 4–5 of the build (pandoc writes the DOCX with the generated template; the finish step
adds sections, header and footer, properties and a deterministic zip).
"""
