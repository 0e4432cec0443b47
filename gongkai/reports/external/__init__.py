"""Reports of agencies not on the platform, typed in or uploaded by the office they file with, and
their staff pages (views.py, urls.py)."""
