"""The confirmation e-mail: an approved template, four eyes, plain values only."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from integrations.models import OutboxMessage
from orders import roles
from orders.errors import ConfirmationTemplateError
from orders.models import ConfirmationTemplate
from orders.services.confirmation import confirmation_template_approve

pytestmark = pytest.mark.django_db

BODY = ("Danke für Ihre Bestellung {{ po_number }}, {{ customer_name }}.\n"
        "{% for line in lines %}{{ line.quantity }} {{ line.uom }} {{ line.description }}\n{% endfor %}"
        "Liefertermin: {{ promised_date }}")


@pytest.fixture
def managers(make_user):
    return make_user("mia", roles.ORDER_DESK_MANAGER), make_user("max", roles.ORDER_DESK_MANAGER)


def draft(client, author, **fields):
    client.force_login(author)
    data = {"name": "German", "subject": "Auftragsbestätigung {{ po_number }}", "body": BODY,
            "change_reason": "customers asked for German"}
    data.update(fields)
    return client.post(reverse("admin:orders_confirmationtemplate_add"), data)


def execute_order(tmp_path, load):
    load("customers", [{"customer_number": "C1", "name": "Acme GmbH", "email_domains": "acme.example",
                        "country": "DE", "currency": "EUR"}])
    load("shiptos", [{"customer_number": "C1", "shipto_code": "S1", "name": "Acme", "street": "Weg 1",
                      "city": "Köln", "postal_code": "50667", "country": "DE", "is_default": "true"}])
    load("products", [{"sku": "SKU-1", "description": "Widget", "base_uom": "EA"}])
    load("prices", [{"customer_number": "C1", "sku": "SKU-1", "unit_price": "1", "currency": "EUR"}])
    load("inventory", [{"sku": "SKU-1", "warehouse": "A", "on_hand": "100"}])
    load("credit", [{"customer_number": "C1", "credit_limit": "1000", "open_exposure": "0"}])
    call_command("set_autonomy", "autonomous", stdout=StringIO())
    path = tmp_path / "po.json"
    path.write_text(json.dumps({"sender": "b@acme.example", "customer_number": "C1",
                                "po_number": "PO-9", "lines": [{"sku": "SKU-1", "quantity": "5"}]}))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return OutboxMessage.objects.get(channel=OutboxMessage.Channel.EMAIL).payload


def test_the_built_in_template_confirms_until_one_is_approved(tmp_path, load):
    payload = execute_order(tmp_path, load)
    assert payload["template"] == "built-in"
    assert payload["subject"] == "Order confirmation: your PO PO-9"
    assert "5 EA SKU-1 (Widget) at 1.0000 EUR per base unit" in payload["body"]


def test_an_approved_template_renders_every_confirmation(tmp_path, load, client, managers):
    assert draft(client, managers[0]).status_code == 302
    template = ConfirmationTemplate.objects.get()
    assert template.state == ConfirmationTemplate.State.DRAFT and template.author == managers[0]
    with pytest.raises(ConfirmationTemplateError, match="four eyes"):
        confirmation_template_approve(template_id=template.pk, actor=managers[0])
    confirmation_template_approve(template_id=template.pk, actor=managers[1])
    payload = execute_order(tmp_path, load)
    assert payload["template"] == f"template #{template.pk}"
    assert payload["subject"] == "Auftragsbestätigung PO-9"
    assert payload["body"].startswith("Danke für Ihre Bestellung PO-9, Acme GmbH.\n5 EA Widget\n")


def test_approving_a_new_template_retires_the_one_in_use(client, managers):
    draft(client, managers[0])
    draft(client, managers[0], name="Shorter")
    first, second = ConfirmationTemplate.objects.order_by("pk")
    confirmation_template_approve(template_id=first.pk, actor=managers[1])
    confirmation_template_approve(template_id=second.pk, actor=managers[1])
    first.refresh_from_db()
    assert first.state == ConfirmationTemplate.State.RETIRED
    assert ConfirmationTemplate.objects.get(state="approved") == second
    assert client.get(reverse("admin:orders_confirmationtemplate_change", args=[second.pk])
                      ).status_code == 200  # shown read-only: approved templates are not edited


@pytest.mark.parametrize(("body", "message"), [
    ("Thanks for {{ po_number|nosuchfilter }}", "does not compile"),
    ("{% if %}", "does not compile"),
    ("Thanks for your order.", "must name the PO number"),
])
def test_a_broken_template_is_refused_with_the_reason(client, managers, body, message):
    response = draft(client, managers[0], body=body, subject="Confirmation")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConfirmationTemplate.objects.exists()


def test_templates_see_plain_values_not_the_database(tmp_path, load, client, managers):
    draft(client, managers[0], body="{{ po_number }} {{ order.customer.credit.credit_limit }}"
                                    "{{ settings.SECRET_KEY }}")
    confirmation_template_approve(template_id=ConfirmationTemplate.objects.get().pk,
                                  actor=managers[1])
    assert execute_order(tmp_path, load)["body"] == "PO-9 "


def test_customer_service_cannot_write_templates(client, make_user):
    client.force_login(make_user("cs", roles.CUSTOMER_SERVICE))
    assert client.get(reverse("admin:orders_confirmationtemplate_add")).status_code == 403
