"""System checks that refuse to start with an unsafe task-queue configuration.

django-q2 redelivers a task that has not been acknowledged within ``retry``
seconds. If ``retry`` is not comfortably above ``timeout`` a task that is
still running (legitimately slow, not dead) is handed to a second worker, and
intake or execution runs twice at the same time. Unacknowledged failures are
redelivered forever, which turns one poison document into a busy loop.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

#: Seconds a task may overrun its timeout (kill, cleanup, ack) before the
#: broker may safely hand it to someone else.
MIN_RETRY_MARGIN_SECONDS = 30


@register(Tags.compatibility, deploy=False)
def check_task_queue(app_configs=None, **kwargs) -> list[Error]:
    conf = getattr(settings, "Q_CLUSTER", None) or {}
    errors: list[Error] = []
    timeout = conf.get("timeout")
    retry = conf.get("retry")
    if not timeout or timeout <= 0:
        errors.append(
            Error(
                "Q_CLUSTER['timeout'] must be set to a positive number of seconds.",
                hint="Without a timeout a hung task blocks its worker forever.",
                id="orderdesk.E001",
            )
        )
    elif not retry or retry < timeout + MIN_RETRY_MARGIN_SECONDS:
        errors.append(
            Error(
                f"Q_CLUSTER['retry'] ({retry}) must exceed timeout ({timeout}) "
                f"by at least {MIN_RETRY_MARGIN_SECONDS} s.",
                hint="Otherwise a task still running is delivered to a second worker.",
                id="orderdesk.E002",
            )
        )
    if conf.get("ack_failures") is not True:
        errors.append(
            Error(
                "Q_CLUSTER['ack_failures'] must be True.",
                hint="Unacknowledged failed tasks are redelivered without end; "
                "OrderDesk counts attempts itself.",
                id="orderdesk.E003",
            )
        )
    if not conf.get("orm") and not conf.get("redis"):
        errors.append(
            Error(
                "Q_CLUSTER needs a broker: 'orm' (default) or 'redis' (REDIS_URL).",
                id="orderdesk.E004",
            )
        )
    return errors
