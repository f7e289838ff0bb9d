"""The outbox in the admin: what went out, what is waiting, what needs a person.

Messages are written and moved by services only. A person resolves the two
states the machine cannot: "unknown" (sent, no answer: the recipient may
have it) and "dead" (refused, or too many failures), by confirming it as
delivered after checking the ERP, or by sending it again.
"""

import json

from django.contrib import admin, messages
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from integrations.errors import OutboxTransitionError
from integrations.models import OutboxMessage
from integrations.services.outbox import outbox_confirm_delivered, outbox_send_again


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "created_at", "channel", "idempotency_key", "status", "attempts",
                    "next_attempt_at", "response_code", "short_error", "order"]
    list_filter = ["status", "channel"]
    list_select_related = ["order"]
    search_fields = ["idempotency_key", "order__po_number"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    list_per_page = 50
    fields = ["order", "channel", "idempotency_key", "status", "attempts", "next_attempt_at",
              "response_code", "last_error", "created_at", "delivered_at", "pretty_payload"]
    readonly_fields = fields
    actions = ["confirm_delivered", "send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_reconcile_permission(self, request) -> bool:
        return request.user.has_perm("integrations.reconcile_outboxmessage")

    @admin.display(description="Last error")
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error if len(obj.last_error) <= 80 else obj.last_error[:79] + "…"

    @admin.display(description="Payload")
    def pretty_payload(self, obj: OutboxMessage) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, ensure_ascii=False))

    @admin.action(description="Mark delivered (confirmed in the ERP)",
                  permissions=["reconcile"])
    def confirm_delivered(self, request, queryset):
        self._apply(request, queryset, outbox_confirm_delivered, "marked delivered")

    @admin.action(description="Send again (attempts from zero)", permissions=["reconcile"])
    def send_again(self, request, queryset):
        self._apply(request, queryset, outbox_send_again, "queued to be sent again")

    def _apply(self, request, queryset, service, done: str) -> None:
        ok, refused = 0, []
        for message_id in queryset.values_list("pk", flat=True):
            try:
                service(message_id=message_id, actor=request.user)
            except OutboxTransitionError as exc:
                refused.append(str(exc))
            else:
                ok += 1
        if ok:
            self.message_user(request, f"{ok} message(s) {done}.", messages.SUCCESS)
        if refused:
            self.message_user(request, f"{len(refused)} skipped: " + "; ".join(refused[:5]),
                              messages.WARNING)
