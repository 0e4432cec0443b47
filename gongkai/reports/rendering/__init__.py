"""The annual report as people read it: the printed layout of tables 二–四, the narrative drafts, the
HTML, PDF, Word and Excel outputs, and the same grid as a form to type figures into (entry.py)."""
