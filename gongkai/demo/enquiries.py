"""Demo enquiries for the county (filled in with the enquiries app)."""


def build_enquiries(agencies) -> None:
    """Creates the demo enquiries through the app's services."""
