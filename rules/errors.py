"""Domain errors of the rules app."""


class RuleError(ValueError):
    """A rule or autonomy change that cannot be made as asked."""
