"""Figures the validator tests measured, printed at the end of the run by conftest.py."""

FIGURES: dict[str, str] = {}


def record(name: str, value: object) -> None:
    """Remember one figure (e.g. 'Nu Html Checker errors') for the summary."""
    FIGURES[name] = str(value)
