"""DOCX → PDF through LibreOffice (cold, or a warm unoserver), and reproducible PDF bytes.

Stage 6 of the build.
"""
