"""Queue entry points of the exception inbox: take ids, call a service, safe to run twice."""

from exceptions.services import cases_reevaluate


def reevaluate_cases(codes: list[str], reason: str, resolution: str) -> dict:
    return dict(cases_reevaluate(codes=codes, reason=reason, resolution=resolution))
