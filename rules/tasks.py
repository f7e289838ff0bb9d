"""Thin tasks of the rules app: load nothing, call one service."""

from rules.suggestions import suggestions_refresh


def refresh_autonomy_suggestions() -> int:
    """Measure the segments again (scheduled daily); returns the pending suggestions."""
    return len(suggestions_refresh())
