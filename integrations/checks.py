"""System checks that refuse to start with an unsafe task-queue or ERP configuration.

django-q2 redelivers a task that has not been acknowledged within ``retry``
seconds. If ``retry`` is not comfortably above ``timeout`` a task that is
still running (legitimately slow, not dead) is handed to a second worker, and
intake or execution runs twice at the same time. Unacknowledged failures are
redelivered forever, which turns one poison document into a busy loop.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

#: A shorter webhook secret is guessable enough to forge orders.
MIN_WEBHOOK_SECRET_LENGTH = 16

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


@register(Tags.compatibility, deploy=False)
def check_erp_delivery(app_configs=None, **kwargs) -> list[Error]:
    from integrations.erp import ADAPTERS  # imports models: not at app loading

    adapter = settings.ERP_ADAPTER
    errors: list[Error] = []
    if adapter and adapter not in ADAPTERS:
        errors.append(Error(f"ERP_ADAPTER {adapter!r} is not one of webhook, filedrop or empty.",
                            id="orderdesk.E005"))
    if not isinstance(settings.ERP_MAX_ATTEMPTS, int) or settings.ERP_MAX_ATTEMPTS < 1:
        errors.append(Error("ERP_MAX_ATTEMPTS must be a positive whole number.", id="orderdesk.E006"))
    if adapter == "webhook":
        errors += _check_webhook()
    elif adapter == "filedrop":
        errors += _check_filedrop()
    return errors


def _check_webhook() -> list[Error]:
    errors: list[Error] = []
    url = urlsplit(settings.ERP_WEBHOOK_URL)
    if url.scheme not in ("http", "https") or not url.hostname:
        errors.append(Error("ERP_ADAPTER is webhook but ERP_WEBHOOK_URL is not an http(s) URL.",
                            hint="For example https://erp.example.com/orderdesk/orders.",
                            id="orderdesk.E007"))
    if len(settings.ERP_WEBHOOK_SECRET) < MIN_WEBHOOK_SECRET_LENGTH:
        errors.append(Error(
            f"ERP_WEBHOOK_SECRET must be at least {MIN_WEBHOOK_SECRET_LENGTH} characters.",
            hint="The ERP verifies X-OrderDesk-Signature with it; without it anyone can post orders.",
            id="orderdesk.E008"))
    # A delivery can wait this long twice (connect, then answer); the sweeper
    # stops handing out at half the task timeout, so both must fit after it.
    task_timeout = (getattr(settings, "Q_CLUSTER", None) or {}).get("timeout") or 0
    timeout = settings.ERP_WEBHOOK_TIMEOUT
    if not timeout or timeout <= 0 or (task_timeout and timeout * 4 > task_timeout):
        errors.append(Error(
            f"ERP_WEBHOOK_TIMEOUT ({timeout}) must be positive and at most a quarter of the "
            f"task timeout ({task_timeout} s).",
            hint="Otherwise a worker is killed mid-request and the order's outcome becomes unknown.",
            id="orderdesk.E009"))
    return errors


def _check_filedrop() -> list[Error]:
    from integrations.erp.filedrop import RENDERERS

    errors: list[Error] = []
    folder = settings.ERP_FILEDROP_DIR
    # A missing folder is refused, not created: it is usually an unmounted
    # share, and files written under it would never reach the ERP.
    if not folder or not Path(folder).is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        errors.append(Error(
            f"ERP_ADAPTER is filedrop but ERP_FILEDROP_DIR ({folder!r}) is not a writable folder.",
            hint="Point it at the folder the ERP imports from, writable by the OrderDesk workers.",
            id="orderdesk.E010"))
    if settings.ERP_FILEDROP_FORMAT not in RENDERERS:
        errors.append(Error(
            f"ERP_FILEDROP_FORMAT {settings.ERP_FILEDROP_FORMAT!r} is not json or csv.",
            id="orderdesk.E011"))
    return errors
