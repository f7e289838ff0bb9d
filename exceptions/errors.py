"""Domain errors of the exception inbox."""

from orders.errors import CaseActionError


class CaseTransitionError(CaseActionError):
    """A move the case lifecycle does not allow from the case's status (taking
    a resolved case, returning one nobody holds). A CaseActionError, so every
    caller that shows a refused action shows this one the same way."""


class CaseNotFound(CaseActionError):
    """No case answers to what was named (a source, a PO number, an id)."""


class CasePermissionDenied(CaseActionError):
    """The person's groups do not allow the action (the API answers 403)."""
