"""Recurring tasks, created in code so every installation has the same ones."""

from django_q.models import Schedule

SCHEDULES = [
    # (name, task, minutes): the sweeper re-queues import jobs whose task was
    # lost (worker killed, broker flushed); the database is the source of truth.
    ("sweep import jobs", "orders.tasks.sweep_import_jobs", 5),
    # Documents whose processing task was lost or whose worker died.
    ("sweep inbound documents", "orders.tasks.sweep_documents", 2),
    # Retries due outbox messages; flags ones whose sender died mid-send.
    ("sweep outbox", "integrations.tasks.sweep_outbox", 1),
    # Does nothing until IMAP_HOST is set.
    ("poll order mailbox", "integrations.tasks.poll_mailbox", 1),
    # Proposals only: a person approves any change of an autonomy level.
    ("refresh autonomy suggestions", "rules.tasks.refresh_autonomy_suggestions", 24 * 60),
]


def schedules_ensure() -> list[str]:
    lines = []
    for name, func, minutes in SCHEDULES:
        _, created = Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": minutes,
                      "repeats": -1},
        )
        lines.append(f"{'created' if created else 'kept'} schedule: {name} every {minutes} min")
    return lines
