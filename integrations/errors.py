"""Domain errors of the integrations app."""


class OutboxTransitionError(ValueError):
    """A person asked for a status change the message's current status does not allow."""
