"""Filing an agency's own report (draft → review → filed → accepted or returned), publishing it as
frozen versions and correcting them; the staff pages of those steps (views.py)."""
