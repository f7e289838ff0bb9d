"""ERP delivery adapters, chosen by settings.ERP_ADAPTER.

``webhook`` POSTs each order as signed JSON (integrations.erp.webhook);
``filedrop`` writes one file per order into a folder the ERP imports from
(integrations.erp.filedrop). Empty means none is configured: ERP messages
wait in the outbox.
"""

from __future__ import annotations

from django.conf import settings

from integrations.erp.base import DeliveryResult, ErpAdapter, Outcome
from integrations.erp.filedrop import FileDropAdapter
from integrations.erp.webhook import WebhookAdapter

ADAPTERS: dict[str, type[ErpAdapter]] = {
    WebhookAdapter.name: WebhookAdapter,
    FileDropAdapter.name: FileDropAdapter,
}

__all__ = ["ADAPTERS", "DeliveryResult", "ErpAdapter", "Outcome", "erp_adapter"]


def erp_adapter() -> ErpAdapter | None:
    """The configured adapter, built from settings on each call (settings may change in tests)."""
    name = settings.ERP_ADAPTER
    return ADAPTERS[name].from_settings() if name else None
