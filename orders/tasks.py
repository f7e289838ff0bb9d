"""Queue entry points: take ids, call a service, safe to run twice."""

from orders.services.masterdata import import_job_run


def run_import_job(job_id: int) -> None:
    import_job_run(job_id=job_id)
