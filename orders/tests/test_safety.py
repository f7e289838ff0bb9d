"""Ways an order could execute wrongly (issue 13): each test feeds the document
that once executed, next to its clean twin that still executes."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def masterdata(load):
    load("customers", [{"customer_number": "C1001", "name": "Acme GmbH", "email_domains": "acme.example",
                        "country": "DE", "currency": "EUR", "customer_group": "key"}])
    load("contacts", [{"email": "buyer@acme.example", "customer_number": "C1001"}])
    load("sales_reps", [{"email": "rep@desk.example", "name": "Rep"}])
    load("shiptos", [
        {"customer_number": "C1001", "shipto_code": "S1", "name": "Acme Köln", "street": "Hauptstr. 5",
         "city": "Köln", "postal_code": "50667", "country": "DE", "is_default": "true"},
        {"customer_number": "C1001", "shipto_code": "S2", "name": "Acme Bonn", "street": "Rheinweg 1",
         "city": "Bonn", "postal_code": "53113", "country": "DE", "is_default": "false"},
    ])
    load("products", [
        {"sku": "SKU-1", "description": "Widget", "base_uom": "EA", "uoms": "CS=12",
         "product_family": "widgets", "lead_time_days": "2"},
        {"sku": "SKU-2", "description": "Gadget", "base_uom": "EA", "product_family": "widgets"},
        {"sku": "SKU-3", "description": "Gizmo", "base_uom": "EA", "product_family": "widgets"},
    ])
    load("prices", [{"customer_number": "C1001", "sku": sku, "unit_price": "1.04", "currency": "EUR"}
                    for sku in ("SKU-1", "SKU-2", "SKU-3")])
    load("inventory", [{"sku": sku, "warehouse": "A", "on_hand": "100000"}
                       for sku in ("SKU-1", "SKU-2", "SKU-3")])
    load("credit", [{"customer_number": "C1001", "credit_limit": "1000000", "open_exposure": "0"}])
    call_command("set_autonomy", "autonomous", stdout=StringIO())


def send(tmp_path, name: str, data: bytes | str, *args: str) -> Order:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    call_command("intake", str(path), "--sync", *args, stdout=StringIO())
    return Order.objects.filter(source__startswith=str(path)).order_by("pk").last()


def codes(order: Order) -> set[str]:
    return {cause["code"] for cause in order.causes}


def mail(*, headers: str = "", sender: str = "buyer@acme.example", body: str = "") -> str:
    body = body or "Hello,\n\nplease deliver PO 4711:\n\n10 CS SKU-1\n\nBest regards\nAnna Buyer\n"
    return (f"{headers}From: Anna Buyer <{sender}>\nTo: orders@desk.example\nSubject: Order 4711\n"
            f"Date: Mon, 07 Dec 2026 09:00:00 +0000\nMessage-ID: <{abs(hash(headers + body))}@acme.example>\n"
            f"\n{body}")


# --- 1. Forged senders ---------------------------------------------------------------------------

FAILED = ("Authentication-Results: mx.desk.example; spf=fail smtp.mailfrom=evil.example;\n"
          " dkim=none; dmarc=fail header.from=acme.example\n"
          "Return-Path: <bounce@evil.example>\nReply-To: <thief@evil.example>\n")
PASSED = ("Authentication-Results: mx.desk.example; spf=pass smtp.mailfrom=acme.example;\n"
          " dkim=pass header.d=acme.example; dmarc=pass header.from=acme.example\n")


def test_a_clean_mail_from_a_contact_executes(tmp_path, masterdata):
    order = send(tmp_path, "clean.eml", mail())
    assert order.status == Order.State.EXECUTED, order.causes


def test_a_mail_the_trusted_receiving_host_judged_forged_routes(tmp_path, masterdata, settings):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.desk.example"]
    order = send(tmp_path, "forged.eml", mail(headers=FAILED))
    assert order.status == Order.State.EXCEPTION
    cause = next(c for c in order.causes if c["code"] == "UNAUTHORIZED_SENDER")
    assert "mx.desk.example" in cause["message"] and "fail" in cause["message"]
    assert "dmarc=fail" in cause["evidence"]


def test_verdicts_of_a_host_the_operator_does_not_trust_are_not_believed(tmp_path, masterdata, settings):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.desk.example"]
    settings.SENDER_AUTHENTICATION_REQUIRED = True
    # The forger writes a passing verdict of their own host: it counts for nothing.
    forged_pass = PASSED.replace("mx.desk.example", "mx.evil.example")
    order = send(tmp_path, "self-judged.eml", mail(headers=forged_pass))
    assert "UNAUTHORIZED_SENDER" in codes(order)
    assert "no passing sender authentication" in json.dumps(order.causes)


def test_a_passing_verdict_from_the_trusted_host_executes_where_one_is_required(tmp_path, masterdata,
                                                                                settings):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.desk.example"]
    settings.SENDER_AUTHENTICATION_REQUIRED = True
    assert send(tmp_path, "passed.eml", mail(headers=PASSED)).status == Order.State.EXECUTED
    missing = send(tmp_path, "no-verdict.eml", mail(body="Hi,\n\nPO 4712:\n\n5 CS SKU-1\n\nThanks\nAnna\n"))
    assert "UNAUTHORIZED_SENDER" in codes(missing)


def test_a_dkim_failure_outweighed_by_a_passing_aligned_signature_is_no_failure(tmp_path, masterdata,
                                                                               settings):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.desk.example"]
    two = ("Authentication-Results: mx.desk.example; dkim=fail header.d=list.example;\n"
           " dkim=pass header.d=acme.example; dmarc=pass header.from=acme.example\n")
    assert send(tmp_path, "list.eml", mail(headers=two)).status == Order.State.EXECUTED


def test_an_unreadable_verdict_from_the_trusted_host_routes(tmp_path, masterdata, settings):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.desk.example"]
    order = send(tmp_path, "garbled.eml", mail(headers="Authentication-Results: mx.desk.example; ;;==\n"))
    assert "UNAUTHORIZED_SENDER" in codes(order)


def forward(*, inner: str, sender: str = "rep@desk.example", headers: str = "") -> str:
    body = ("---------- Forwarded message ---------\n"
            f"{inner}")
    return mail(headers=headers, sender=sender, body=body)


CUSTOMER_MAIL = ("From: Anna Buyer <buyer@acme.example>\nDate: Mon, 7 Dec 2026 at 08:00\n"
                 "Subject: Order 4711\nTo: Rep <rep@desk.example>\n\n"
                 "Hello,\n\nplease deliver PO 4711:\n\n10 CS SKU-1\n\nBest regards\nAnna Buyer\n")


def test_a_rep_forwarding_a_contacts_order_executes_as_the_contact(tmp_path, masterdata):
    order = send(tmp_path, "rep.eml", forward(inner=CUSTOMER_MAIL))
    assert order.status == Order.State.EXECUTED, order.causes
    assert order.sender == "buyer@acme.example"


def test_a_contact_named_inside_a_forward_within_a_forward_orders_for_nobody(tmp_path, masterdata):
    # The rep forwards a stranger's mail, which "forwards" a contact's: that inner
    # From line is body text anyone can type.
    stranger = ("From: Stranger <someone@elsewhere.example>\nDate: Mon, 7 Dec 2026 at 07:00\n"
                "Subject: Fwd: Order 4711\nTo: Rep <rep@desk.example>\n\nsee below\n\n"
                f"---------- Forwarded message ---------\n{CUSTOMER_MAIL}")
    order = send(tmp_path, "deep.eml", forward(inner=stranger))
    assert order.status == Order.State.EXCEPTION
    assert "UNAUTHORIZED_SENDER" in codes(order)
    assert "forward within a forward" in json.dumps(order.causes)


def test_a_rep_forward_needs_the_reps_own_message_to_pass_where_mail_is_authenticated(tmp_path,
                                                                                      masterdata,
                                                                                      settings):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.desk.example"]
    settings.SENDER_AUTHENTICATION_REQUIRED = False
    unverified = send(tmp_path, "rep-unverified.eml", forward(inner=CUSTOMER_MAIL))
    assert "UNAUTHORIZED_SENDER" in codes(unverified)
    assert "sales rep's message" in json.dumps(unverified.causes)
    passed = PASSED.replace("acme.example", "desk.example")
    verified = send(tmp_path, "rep-verified.eml",
                    forward(inner=CUSTOMER_MAIL.replace("4711", "4713"), headers=passed))
    assert verified.status == Order.State.EXECUTED, verified.causes


def test_dkim_verified_by_orderdesk_itself_where_enabled(tmp_path, masterdata, settings, monkeypatch):
    import dkim

    from orders.services import sender_auth

    private, public = _dkim_keys()
    message = mail().encode()
    signature = dkim.sign(message, b"sel", b"acme.example", private, include_headers=[b"from", b"subject"])
    signed = signature + message
    monkeypatch.setattr(sender_auth, "_dns_txt", lambda name, timeout=5: b"v=DKIM1; k=rsa; p=" + public)
    settings.DKIM_VERIFY = True
    settings.SENDER_AUTHENTICATION_REQUIRED = True
    assert send(tmp_path, "signed.eml", signed).status == Order.State.EXECUTED
    tampered = signed.replace(b"10 CS SKU-1", b"90 CS SKU-1").replace(b"4711", b"4714")
    order = send(tmp_path, "tampered.eml", tampered)
    assert "UNAUTHORIZED_SENDER" in codes(order)
    assert "dkim=fail" in json.dumps(order.causes)


def _dkim_keys() -> tuple[bytes, bytes]:
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, base64.b64encode(public)


# --- 2. Sheet columns nobody read ------------------------------------------------------------------

def sheet(column: str, value: str, po: str = "4711") -> str:
    return (f"PO Number,SKU,Qty,Unit,{column}\n"
            f"{po},SKU-1,10,CS,\"{value}\"\n"
            f"{po},SKU-2,5,EA,\"{value}\"\n")


def test_a_ship_to_column_with_a_whole_address_ships_there_not_to_the_default(tmp_path, masterdata):
    order = send(tmp_path, "address.csv", sheet("Ship To", "Acme Bonn, Rheinweg 1, 53113 Bonn, Germany"),
                 "--sender", "buyer@acme.example")
    assert order.status == Order.State.EXECUTED, order.causes
    assert order.shipto.shipto_code == "S2"


def test_a_ship_to_column_naming_a_ship_to_as_in_master_data_ships_there(tmp_path, masterdata):
    order = send(tmp_path, "named.csv", sheet("Ship To", "Acme Bonn"), "--sender", "buyer@acme.example")
    assert order.status == Order.State.EXECUTED, order.causes
    assert order.shipto.shipto_code == "S2"


def test_a_ship_to_column_naming_no_known_ship_to_routes(tmp_path, masterdata):
    order = send(tmp_path, "unknown.csv", sheet("Ship To", "Acme Hamburg, Elbchaussee 9, 22763 Hamburg"),
                 "--sender", "buyer@acme.example")
    assert order.status == Order.State.EXCEPTION
    assert "UNKNOWN_SHIPTO" in codes(order)


def test_a_column_with_content_that_nothing_reads_makes_the_order_uncertain(tmp_path, masterdata):
    order = send(tmp_path, "discount.csv", sheet("Sonderrabatt", "15 %"), "--sender", "buyer@acme.example")
    assert order.status == Order.State.EXCEPTION
    cause = next(c for c in order.causes if c["code"] == "EXTRACTION_UNCERTAIN")
    assert "'Sonderrabatt' was not read" in cause["message"]
    empty = send(tmp_path, "empty-column.csv", sheet("Sonderrabatt", "", po="4712"),
                 "--sender", "buyer@acme.example")
    assert empty.status == Order.State.EXECUTED, empty.causes


# --- 7. Fractions of a counted unit ----------------------------------------------------------------

def json_order(po: str, quantity: str, uom: str = "EA", sku: str = "SKU-2") -> str:
    return json.dumps({"sender": "buyer@acme.example", "customer_number": "C1001", "po_number": po,
                       "lines": [{"sku": sku, "quantity": quantity, "uom": uom}]})


@pytest.mark.parametrize("quantity, uom, code", [
    ("100.5", "EA", "INVALID_UOM"),
    ("0.0000000000001", "EA", "EXTRACTION_UNCERTAIN"),
    ("2.0005", "EA", "EXTRACTION_UNCERTAIN"),
    ("1e40", "EA", "UNREADABLE_DOCUMENT"),
])
def test_a_quantity_that_is_no_whole_number_of_pieces_routes(tmp_path, masterdata, quantity, uom, code):
    order = send(tmp_path, "fraction.json", json_order("F-1", quantity, uom))
    assert order.status != Order.State.EXECUTED
    assert code in codes(order), order.causes


def test_a_fraction_of_a_case_routes_and_whole_cases_execute(tmp_path, masterdata):
    assert "INVALID_UOM" in codes(send(tmp_path, "half.json", json_order("F-2", "1.5", "CS", "SKU-1")))
    whole = send(tmp_path, "whole.json", json_order("F-3", "2.000", "CS", "SKU-1"))
    assert whole.status == Order.State.EXECUTED, whole.causes


# --- 8. Control characters ----------------------------------------------------------------------

@pytest.mark.parametrize("field, value", [
    ("po_number", "4711\r\nBcc: thief@evil.example"),
    ("po_number", "47\x0011"),
    ("sku", "SKU-1\x1b[2J"),
    ("sku", "SKU-\u202e1"),
])
def test_control_characters_in_a_field_are_removed_and_the_order_routes(tmp_path, masterdata, field, value):
    from integrations.models import OutboxMessage

    body = json.loads(json_order("C-1", "10", "CS", "SKU-1"))
    if field == "po_number":
        body["po_number"] = value
    else:
        body["lines"][0]["sku"] = value
    order = send(tmp_path, "controls.json", json.dumps(body))
    assert order.status == Order.State.EXCEPTION
    cause = next(c for c in order.causes if c["code"] == "EXTRACTION_UNCERTAIN")
    assert "control characters removed" in cause["message"]
    stored = [order.po_number, *order.lines.values_list("sku", flat=True)]
    assert not any(ch in text for text in stored for ch in "\r\n\x00\x1b\u202e")
    assert not OutboxMessage.objects.filter(order=order).exists()


def test_line_breaks_in_a_description_are_layout_not_a_cause(tmp_path, masterdata):
    body = json.loads(json_order("C-2", "10", "CS", "SKU-1"))
    body["lines"][0]["description"] = "Widget\r\nblue"
    order = send(tmp_path, "description.json", json.dumps(body))
    assert order.status == Order.State.EXECUTED, order.causes
    assert order.lines.get().description == "Widget\nblue"


def email_outbox(order, **payload):
    from integrations.models import OutboxMessage

    body = {"to": "buyer@acme.example", "subject": "Order confirmation", "body": "Thank you.",
            "message_id": "<c.1@desk.example>", "in_reply_to": ""}
    body.update(payload)
    return OutboxMessage.objects.create(order=order, channel=OutboxMessage.Channel.EMAIL,
                                        idempotency_key=f"mail:{order.pk}:{len(payload)}:{body['to']}",
                                        payload=body)


def test_mail_headers_from_a_document_are_checked_before_sending(tmp_path, masterdata):
    from django.core import mail as outbox_mail

    from integrations.services.outbox import outbox_deliver

    order = send(tmp_path, "clean.eml", mail())
    outbox_mail.outbox.clear()
    folded = email_outbox(order, subject="PO 4711\r\nBcc: thief@evil.example",
                          in_reply_to="<a.very.long\r\n id@acme.example>")
    outbox_deliver(message_id=folded.pk)
    folded.refresh_from_db()
    assert folded.status == "delivered", folded.last_error
    sent = outbox_mail.outbox[-1]
    assert sent.subject == "PO 4711 Bcc: thief@evil.example" and sent.bcc == []
    assert "\n" not in sent.extra_headers.get("In-Reply-To", "")
    broken = email_outbox(order, to="buyer@acme.example\r\nBcc: thief@evil.example")
    outbox_deliver(message_id=broken.pk)
    broken.refresh_from_db()
    assert broken.status == "dead" and "not one e-mail address" in broken.last_error


def test_a_from_header_with_an_encoded_line_break_shows_on_the_case_page(tmp_path, masterdata, client,
                                                                        make_user):
    from django.urls import reverse

    from exceptions.models import Case

    hostile = mail(body="Hi,\n\nPO 4715:\n\n10 CS SKU-1\nplease call me back\n\nAnna\n").replace(
        "From: Anna Buyer <buyer@acme.example>",
        "From: =?utf-8?q?Anna=0D=0ABcc=3A_x=40evil=2Eexample?= <buyer@acme.example>")
    order = send(tmp_path, "hostile-from.eml", hostile)
    case = Case.objects.get(order=order)
    client.force_login(make_user("clerk", "Customer service"))
    page = client.get(reverse("case", args=[case.pk]))
    assert page.status_code == 200


# --- 10. A million causes ----------------------------------------------------------------------------

def test_causes_are_collapsed_per_code_and_capped():
    from rules.causes import MAX_CAUSES, MAX_CAUSES_PER_CODE, causes_bounded

    many = [{"code": "FREE_TEXT_INSTRUCTION", "message": f"unexplained text: 'segment {n}'",
             "evidence": f"FTX {n}", "line": None} for n in range(1_000_000)]
    many.append({"code": "UNKNOWN_PRODUCT", "message": "line 1: no product", "evidence": "", "line": 1})
    bounded = causes_bounded(many)
    assert len(bounded) <= MAX_CAUSES
    assert [c["code"] for c in bounded].count("FREE_TEXT_INSTRUCTION") == MAX_CAUSES_PER_CODE + 1
    left = 1_000_000 - MAX_CAUSES_PER_CODE
    assert bounded[-1]["message"].startswith(f"{left:,} more FREE_TEXT_INSTRUCTION")
    assert any(c["code"] == "UNKNOWN_PRODUCT" for c in bounded)


def test_a_document_with_thousands_of_notes_stays_a_small_case(tmp_path, masterdata, client, make_user):
    from django.urls import reverse

    from exceptions.models import Case
    from rules.causes import MAX_CAUSES

    notes = "'".join(f"FTX+AAI+++please call {n} times" for n in range(3000))
    body = ["BGM+220+BIG-1+9", "NAD+BY+C1001::92", f"{notes}", "LIN+1++SKU-1:SA", "QTY+21:10:CS"]
    segments = ["UNH+1+ORDERS:D:96A:UN", *body]
    count = len(segments) + 3000  # every FTX is a segment of its own
    data = (f"UNB+UNOC:3+A:14+B:14+261120:1200+1'{chr(39).join(segments)}'UNT+{count}+1'UNZ+1+1'")
    order = send(tmp_path, "notes.edi", data, "--sender", "buyer@acme.example")
    assert order.status == Order.State.EXCEPTION
    assert len(order.causes) <= MAX_CAUSES
    assert any("more FREE_TEXT_INSTRUCTION causes" in c["message"] for c in order.causes)
    case = Case.objects.get(order=order)
    assert len(case.causes) <= MAX_CAUSES
    client.force_login(make_user("clerk", "Customer service"))
    assert client.get(reverse("case", args=[case.pk])).status_code == 200
    assert len(client.get(reverse("inbox")).content) < 2_000_000
    out = StringIO()
    call_command("export_outcomes", stdout=out)
    assert len(out.getvalue()) < 200_000


def test_a_public_mail_domain_stored_before_imports_refused_them_vouches_for_nobody(tmp_path, masterdata):
    from orders.models import Customer, CustomerEmailDomain

    # Written as an earlier release's import did, before public domains were refused.
    CustomerEmailDomain.objects.create(customer=Customer.objects.get(customer_number="C1001"),
                                       domain="gmail.com")
    order = send(tmp_path, "gmail.eml", mail(sender="anyone@gmail.com"))
    assert order.status == Order.State.EXCEPTION
    assert {"UNKNOWN_CUSTOMER", "UNAUTHORIZED_SENDER"} & codes(order)


# --- 6. A stated total the lines do not make -----------------------------------------------------------

TABLE = ("Hello,\n\nplease deliver PO {po}:\n\n"
         "Item   | Qty | Unit | Price\n"
         "SKU-1  | 10  | CS   | 12.48\n"
         "SKU-2  | 50  | EA   | 1.04\n"
         "{total}\n\nBest regards\nAnna Buyer\n")


def test_a_stated_total_the_lines_do_not_add_up_to_routes(tmp_path, masterdata):
    order = send(tmp_path, "wrong-total.eml", mail(body=TABLE.format(po="4711", total="Total | | | 187.00")))
    assert order.status == Order.State.EXCEPTION
    assert "states a total of 187.00, the lines add up to 176.80" in json.dumps(order.causes)
    right = mail(body=TABLE.format(po="4712", total="Total | | | 176.80")).replace("Order 4711", "Order 4712")
    right = send(tmp_path, "right-total.eml", right)
    assert right.status == Order.State.EXECUTED, right.causes


@pytest.mark.parametrize("amounts, lines, agrees", [
    (["2317.00"], "2247.00", False),
    (["2247.00"], "2247.00", True),
    (["2247.00", "70.00", "2317.00"], "2247.00", True),  # subtotal, freight, total
    (["426.93", "2673.93"], "2247.00", True),  # VAT, total
    (["2317.00", "2317.00"], "2247.00", False),  # a subtotal that is wrong too
])
def test_totals_agree_within_rounding_or_with_the_stated_charges(amounts, lines, agrees):
    from decimal import Decimal

    from integrations.parsers.draft import LineDraft, OrderDraft, read
    from integrations.parsers.totals import disagreement

    line = LineDraft(quantity=read(Decimal(1)), unit_price=read(Decimal(lines)))
    draft = OrderDraft(format="text", lines=[line], stated_totals=[read(Decimal(a)) for a in amounts])
    assert (disagreement(draft) is None) is agrees


def test_a_totals_row_that_counts_things_is_no_amount():
    from integrations.parsers.totals import stated_amount

    assert stated_amount("Total qty: 30", decimal_comma=False) is None
    assert stated_amount("MwSt 19 %", decimal_comma=True) is None
    assert str(stated_amount("Gesamtbetrag 2.317,00 EUR", decimal_comma=True)) == "2317.00"
