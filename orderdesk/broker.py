"""The task queue on the database itself (the embedded default): django-q2's ORM
broker, claiming its tasks in one write transaction.

django-q2's own ORM broker claims each task with an UPDATE outside any
transaction. On SQLite that statement is a writer of its own: it bypasses the
queue the workers' transactions wait in (orderdesk.sqlite) and waits for the
write lock in SQLite's busy handler, napping while the lock goes from one
worker to the next, so the workers run dry of tasks. Here the look-up and the
claim of up to ``bulk`` tasks (oldest first) are one transaction that queues
like every other writer; on PostgreSQL, rows another cluster is claiming are
skipped rather than waited for.

A task is queued with one prepared INSERT (orders.services.history) and
acknowledged with one DELETE in a transaction that queues too: the ORM's
save() and Collector cost more than the statements, and the queuing is done
inside the transaction that stores a document, holding the write lock.
"""

from __future__ import annotations

from time import sleep

from django.db import connections, transaction
from django.utils import timezone
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.models import OrmQ


class OrmBroker(ORM):
    def dequeue(self) -> list[tuple[int, str]] | None:
        # get_connection() also closes a connection past its age, as the
        # broker it extends does at every call.
        due = self.get_connection().filter(key=self.list_key, lock__lt=timezone.now())
        # Reading first, outside the write transaction, spares an idle
        # cluster a write lock at every poll.
        if not due.exists():
            sleep(Conf.POLL)
            return None
        with transaction.atomic(using=Conf.ORM):
            tasks = list(due.select_for_update(skip_locked=True).order_by("pk")
                         .values_list("pk", "payload")[:Conf.BULK])
            OrmQ.objects.using(Conf.ORM).filter(pk__in=[pk for pk, _ in tasks]).update(
                lock=self.timeout(None))
        return tasks

    def enqueue(self, task: str) -> int:
        from orders.services.history import record_create

        # list_key may be empty (a test set-up) but the key column is required.
        (row,) = record_create([OrmQ(key=self.list_key or Conf.CLUSTER_NAME, payload=task,
                                     lock=timezone.now())])
        return row.pk

    def delete(self, task_id: int) -> None:
        self.get_connection()  # a connection past its age is closed, as for every call
        connection = connections[Conf.ORM]
        table, key = (connection.ops.quote_name(name)
                      for name in (OrmQ._meta.db_table, OrmQ._meta.pk.column))
        with transaction.atomic(using=Conf.ORM), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {key} = %s", [task_id])  # noqa: S608
