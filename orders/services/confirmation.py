"""The order confirmation: its approved template, and rendering it for an order.

Templates see plain values (numbers, names, dates as text), never model
objects, so a template cannot reach data beyond the order it confirms.
"""

from __future__ import annotations

from django.db import transaction
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone

from orders.errors import ConfirmationTemplateError
from orders.models import ConfirmationTemplate, Order
from orders.roles import ORDER_DESK_MANAGER

#: What a template may use, shown in the admin beside the editor.
SAMPLE_CONTEXT = {
    "po_number": "PO-4711", "order_id": 1, "customer_name": "Acme GmbH",
    "customer_number": "C1001", "currency": "EUR", "order_value": "124.80",
    "requested_date": "2026-12-01", "promised_date": "2026-12-01",
    "shipto": {"name": "Acme Köln", "street": "Hauptstr. 5", "postal_code": "50667",
               "city": "Köln", "country": "DE"},
    "lines": [{"sku": "SKU-1", "description": "Widget", "quantity": "10", "uom": "CS",
               "base_quantity": "120", "unit_price": "1.0400"}],
}


def confirmation_context(order: Order, payload: dict, lines=None) -> dict:
    """What a template sees. ``lines``: the order's lines with their products,
    if the caller has them (the execution does), else they are read."""
    shipto = order.shipto
    if lines is None:
        descriptions = dict(order.lines.filter(product__isnull=False)
                            .values_list("product__sku", "product__description"))
    else:
        descriptions = {line.product.sku: line.product.description for line in lines
                        if line.product_id}
    return {
        "po_number": order.po_number, "order_id": order.pk,
        "customer_name": order.customer.name, "customer_number": order.customer.customer_number,
        "currency": payload["currency"], "order_value": payload["order_value"],
        "requested_date": payload["requested_date"], "promised_date": payload["promised_date"],
        "shipto": {"name": shipto.name, "street": shipto.street, "postal_code": shipto.postal_code,
                   "city": shipto.city, "country": shipto.country} if shipto else {},
        "lines": [{**line, "description": descriptions.get(line["sku"], "")}
                  for line in payload["lines"]],
    }


def confirmation_render(*, order: Order, payload: dict, lines=None) -> tuple[str, str, str]:
    """Subject, body and which template made them ("built-in" or "template #N")."""
    context = confirmation_context(order, payload, lines)
    template = ConfirmationTemplate.objects.filter(state=ConfirmationTemplate.State.APPROVED).first()
    if template is None:
        subject = f"Order confirmation: your PO {order.po_number}"
        return subject, render_to_string("orders/confirmation_email.txt", context), "built-in"
    subject, body = _render(template.subject, template.body, context)
    return subject, body, f"template #{template.pk}"


def _render(subject: str, body: str, context: dict) -> tuple[str, str]:
    # Plain text: no HTML escaping, and a subject is one line.
    ctx = Context(context, autoescape=False)
    rendered_subject = " ".join(Template(subject).render(ctx).split())
    return rendered_subject, Template(body).render(ctx)


def confirmation_template_check(*, subject: str, body: str) -> str:
    """Render against the sample order; the body shown to the author, or a
    ConfirmationTemplateError saying what is wrong."""
    try:
        rendered_subject, rendered = _render(subject, body, SAMPLE_CONTEXT)
    except TemplateSyntaxError as exc:
        raise ConfirmationTemplateError(f"the template does not compile: {exc}") from None
    if not rendered_subject:
        raise ConfirmationTemplateError("the subject renders empty")
    if "PO-4711" not in rendered_subject + rendered:
        raise ConfirmationTemplateError("the confirmation must name the PO number "
                                        "({{ po_number }})")
    return rendered


def confirmation_template_save(*, template: ConfirmationTemplate, actor,
                               reason: str) -> ConfirmationTemplate:
    """Write a draft (a new one names ``actor`` its author); only drafts change."""
    if template.pk is not None and template.state != ConfirmationTemplate.State.DRAFT:
        raise ConfirmationTemplateError(f"{template} is in use or retired: write a new draft")
    confirmation_template_check(subject=template.subject, body=template.body)
    if template.pk is None:
        template.author = actor
    template._history_user, template._change_reason = actor, reason
    template.save()
    return template


def confirmation_template_approve(*, template_id: int, actor) -> ConfirmationTemplate:
    """Put a draft in use (four eyes), retiring the template in use before."""
    with transaction.atomic():
        template = ConfirmationTemplate.objects.select_for_update().get(pk=template_id)
        if template.state != ConfirmationTemplate.State.DRAFT:
            raise ConfirmationTemplateError(f"{template} is not a draft")
        if template.author_id == actor.pk:
            raise ConfirmationTemplateError("four eyes: its author cannot approve a template")
        if not (actor.is_superuser or actor.groups.filter(name=ORDER_DESK_MANAGER).exists()):
            raise ConfirmationTemplateError(f"only the {ORDER_DESK_MANAGER} may approve templates")
        confirmation_template_check(subject=template.subject, body=template.body)
        for old in ConfirmationTemplate.objects.select_for_update().filter(
                state=ConfirmationTemplate.State.APPROVED):
            old.state = ConfirmationTemplate.State.RETIRED
            old._history_user, old._change_reason = actor, f"replaced by #{template.pk}"
            old.save(update_fields=["state"])
        template.state = ConfirmationTemplate.State.APPROVED
        template.approved_by, template.approved_at = actor, timezone.now()
        template._history_user, template._change_reason = actor, "approved"
        template.save(update_fields=["state", "approved_by", "approved_at"])
    return template
