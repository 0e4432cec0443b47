"""Demo consultations for the county (filled in with the consultations app)."""


def build_consultations(agencies) -> None:
    """Creates the demo consultations through the app's services."""
