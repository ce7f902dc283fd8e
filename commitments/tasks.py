"""Record imports as tasks (commitments.services): running one handed-over file, and the sweep that finds files
whose message was lost. Both are safe to run twice: the import's row says what is done."""

from celery import shared_task
from django.utils import timezone

from . import services

IMPORT_RETRIES = 5  # after a failure (the database away, say), tried again after 1, 2, 4, 8 and 16 minutes
SWEEP_BATCH = 100


@shared_task(bind=True, max_retries=IMPORT_RETRIES, soft_time_limit=1500, time_limit=1560)
def import_records(self, job_id):
    """Import one file, all or nothing. A failure is tried again with a growing wait; after the last attempt (or
    at once, run in-process without a broker) the import is marked failed for the administrators to see."""
    try:
        services.records_import_run(job_id)
    except Exception as error:
        if self.request.called_directly or self.request.retries >= self.max_retries:
            services.records_import_failed(job_id, error)
            if self.request.called_directly:
                return
            raise
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task
def sweep_imports():
    """Mark failed the imports that never finish, and hand over again those still waiting long after they were
    handed over; how many of each."""
    return services.imports_sweep(timezone.now(), SWEEP_BATCH)
