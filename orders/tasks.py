"""Queue entry points: take ids, call a service, safe to run twice."""

from orders.services.masterdata import import_job_run, import_jobs_sweep


def run_import_job(job_id: int) -> None:
    import_job_run(job_id=job_id)


def sweep_import_jobs() -> int:
    return import_jobs_sweep()


def process_document(document_id: int) -> None:
    from orders.services.intake import document_process

    document_process(document_id=document_id)


def sweep_documents() -> int:
    from orders.services.intake import documents_sweep

    return documents_sweep()
