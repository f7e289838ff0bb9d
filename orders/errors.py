"""Domain errors of the orders app."""


class MasterDataImportError(ValueError):
    """A master-data file that cannot be imported at all (not a row problem).

    Raised for an unknown kind, a file that is not UTF-8 CSV, unknown or
    missing columns. Nothing has been written when it is raised.
    """


class ConfirmationTemplateError(ValueError):
    """A confirmation template that cannot be saved or approved as it stands."""


class CaseActionError(ValueError):
    """A person's action on an exception (release, reject, take) that cannot be done as asked."""


class IdempotencyKeyReused(ValueError):
    """An idempotency key sent again with another body: the first request's
    document stands, the second is neither stored nor silently dropped."""


class DocumentTooLarge(ValueError):
    """A document above the accepted size (settings.ORDERDESK_MAX_DOCUMENT_BYTES)."""
