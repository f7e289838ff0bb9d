"""The exception inbox in the browser's place (Django's test client): queues,
the case page beside its document, and every action with its forbidden paths."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from exceptions.bulk import cases_seed
from exceptions.models import Case
from integrations.models import OutboxMessage
from orders import roles
from orders.models import CustomerPart, Order, Price
from orders.services.execution import INLINE

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {"cs": make_user("cs", roles.CUSTOMER_SERVICE), "fin": make_user("fin", roles.FINANCE),
            "comp": make_user("comp", roles.COMPLIANCE), "outsider": make_user("outsider")}


@pytest.fixture
def as_user(client):
    def as_user(user):
        client.force_login(user)
        return client
    return as_user


def send(tmp_path, po, *, customer="C1", sender="b@acme.example", **line) -> Order:
    line = {"quantity": "5", **line}
    if not {"sku", "customer_part_number"} & line.keys():
        line["sku"] = "SKU-1"
    path = tmp_path / f"{po}.json"
    path.write_text(json.dumps({"sender": sender, "customer_number": customer, "po_number": po,
                                "lines": [line]}))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def codes(order) -> list[str]:
    order.refresh_from_db()
    return sorted(cause["code"] for cause in order.causes)


# --- Who gets in ----------------------------------------------------------------------------


def test_the_inbox_asks_for_a_login_and_a_desk_group(client, people):
    response = client.get(reverse("inbox"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(people["outsider"])
    assert client.get(reverse("inbox")).status_code == 403


def test_login_page_signs_a_person_in(client, people):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and b"Sign in" in page.content
    response = client.post(reverse("login"), {"username": "cs", "password": "a-long-test-password"})
    assert response.status_code == 302 and response["Location"] == reverse("inbox")


# --- Queues -----------------------------------------------------------------------------------


def test_my_queue_holds_the_causes_my_group_owns(tmp_path, desk_masterdata, people, as_user):
    price = send(tmp_path, "PO-PRICE", unit_price="1.50")  # Finance's
    product = send(tmp_path, "PO-PART", customer_part_number="X-9")  # customer service's
    assert codes(price) == ["PRICE_MISMATCH"] and codes(product) == ["UNKNOWN_PRODUCT"]
    finance = as_user(people["fin"]).get(reverse("inbox")).content.decode()
    assert "PO-PRICE" in finance and "PO-PART" not in finance
    cs = as_user(people["cs"]).get(reverse("inbox")).content.decode()
    assert "PO-PART" in cs and "PO-PRICE" not in cs
    everything = as_user(people["cs"]).get(reverse("inbox") + "?queue=all").content.decode()
    assert "PO-PART" in everything and "PO-PRICE" in everything


def test_queues_by_cause_customer_search_and_value(tmp_path, desk_masterdata, people, as_user):
    send(tmp_path, "PO-A1", unit_price="1.50", quantity="10")
    send(tmp_path, "PO-A2", unit_price="1.50", quantity="900")
    send(tmp_path, "PO-B1", customer="C2", sender="x@beta.example", customer_part_number="Q")
    client = as_user(people["fin"])

    def shown(params):
        page = client.get(reverse("inbox") + params)
        assert page.status_code == 200
        return [case.order.po_number for case in page.context["rows"]]

    assert shown("?queue=all&cause=PRICE_MISMATCH") == ["PO-A1", "PO-A2"]
    assert shown("?queue=all&sort=value&cause=PRICE_MISMATCH") == ["PO-A2", "PO-A1"]
    beta = Order.objects.get(po_number="PO-B1").customer_id
    assert shown(f"?queue=all&customer={beta}") == ["PO-B1"]
    assert shown("?queue=all&q=po-a") == ["PO-A1", "PO-A2"]  # PO prefix, any case
    assert shown("?queue=all&q=beta") == ["PO-B1"]  # customer name
    assert shown("?queue=all&q=C2") == ["PO-B1"]  # customer number
    counts = client.get(reverse("inbox")).context["counts"]
    assert (counts.all, counts.mine) == (3, 2)
    assert {code: n for code, _label, n, _mine in counts.by_cause} == {
        "PRICE_MISMATCH": 2, "UNKNOWN_PRODUCT": 1}
    # Nonsense parameters fall back to the defaults instead of failing the page.
    assert client.get(reverse("inbox") + "?queue=x&cause=NOPE&customer=a&page=zz").status_code == 200


def test_a_queue_page_costs_the_same_queries_for_many_cases(desk_masterdata, people, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(people["cs"])
    pages = ["", "?queue=all&sort=value", "?queue=all&cause=UNKNOWN_PRODUCT&page=2",
             "?queue=all&q=PO-00001", "?queue=all&customer={customer}", "?queue=taken"]

    def queries() -> list[int]:
        customer = Case.objects.order_by("pk").first().customer_id
        counted = []
        for params in pages:
            with CaptureQueriesContext(connection) as done:
                page = client.get(reverse("inbox") + params.format(customer=customer))
            assert page.status_code == 200
            counted.append(len(done.captured_queries))
        return counted

    cases_seed(60)
    few = queries()
    cases_seed(400, seed=2)
    assert queries() == few  # the number of cases changes nothing
    assert max(few) <= 12, few
    page = client.get(reverse("inbox") + "?queue=all")
    assert page.context["total"] == 460 and len(page.context["rows"]) == 50
    assert page.context["pages"] == 10


# --- The case page ------------------------------------------------------------------------


def test_case_page_shows_the_mail_beside_the_order_with_evidence_marked(tmp_path, desk_masterdata,
                                                                        people, as_user):
    path = tmp_path / "mail.eml"
    path.write_bytes(
        b"From: Anna <anna@acme.example>\r\nTo: orders@desk.example\r\n"
        b"Subject: Order AB-2231-7\r\nMessage-ID: <m7@acme.example>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Hello,\r\n\r\nplease deliver:\r\n10 x SKU-1\r\n4 x SKU-404\r\n\r\nPO number: AB-2231-7\r\n"
        b"\r\nKind regards\r\nAnna\r\n")
    call_command("intake", str(path), "--sync", stdout=StringIO())
    order = Order.objects.get(po_number="AB-2231-7")
    case = Case.objects.get(order=order)
    page = as_user(people["cs"]).get(reverse("case", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    source = page.context["source"]
    assert source.kind == "text"
    marked = {line.text.strip(): line.fields for line in source.lines if line.fields}
    assert "po_number" in marked["PO number: AB-2231-7"]
    assert "line1-quantity" in marked["10 x SKU-1"] and "line2-sku" in marked["4 x SKU-404"]
    assert "Product cannot be determined" in html and "SKU-404" in html
    assert "Cannot be overridden" in html
    assert [fix.kind for fix, _form in page.context["fixes"]] == ["customer_part"]


def test_pdf_case_page_draws_pages_with_the_evidence_highlighted(tmp_path, desk_masterdata, people,
                                                                 as_user):
    path = tmp_path / "po.pdf"
    path.write_bytes(purchase_order_pdf())
    call_command("intake", str(path), "--sync", "--sender", "b@acme.example", stdout=StringIO())
    order = Order.objects.get(po_number="PO-PDF-1")
    case = Case.objects.get(order=order)
    client = as_user(people["fin"])
    page = client.get(reverse("case", args=[case.pk]))
    assert page.context["source"].kind == "pdf" and page.context["source"].pages == [1]
    image = client.get(reverse("case_page", args=[case.pk, 1]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    again = client.get(reverse("case_page", args=[case.pk, 1]), HTTP_IF_NONE_MATCH=image["ETag"])
    assert again.status_code == 304
    assert client.get(reverse("case_page", args=[case.pk, 9])).status_code == 404


def purchase_order_pdf() -> bytes:
    """A one-page purchase order as a customer's system would print it."""
    from fpdf import FPDF

    doc = FPDF(unit="pt", format="A4")
    doc.add_page()
    doc.set_font("Helvetica", "B", 16)
    doc.text(40, 50, "Acme GmbH")
    doc.set_font("Helvetica", "", 10)
    for y, text in ((80, "PO Number: PO-PDF-1"), (94, "Order Date: 2026-11-20"),
                    (108, "Customer No: C1")):
        doc.text(360, y, text)
    columns = ((40, "Pos"), (80, "Item"), (200, "Description"), (380, "Qty"), (420, "Unit"),
               (470, "Unit price"))
    for x, header in columns:
        doc.text(x, 160, header)
    for x, cell in zip((c[0] for c in columns), ("1", "SKU-1", "Widget", "4", "EA", "9.99"),
                       strict=True):
        doc.text(x, 178, cell)
    doc.text(420, 210, "Total 39.96")
    return bytes(doc.output())


# --- Actions ------------------------------------------------------------------------------


def post(client, name, case, data=None, *args):
    return client.post(reverse(name, args=[case.pk, *args]), data or {}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_release_is_refused_for_causes_the_user_may_not_override(tmp_path, desk_masterdata, people,
                                                                 as_user):
    order = send(tmp_path, "PO-1", unit_price="1.50")
    case = Case.objects.get(order=order)
    refused = post(as_user(people["cs"]), "case_release", case, {"reason": "fine"})
    assert "can only be overridden by Finance" in messages_of(refused)[0]
    order.refresh_from_db()
    assert order.status == Order.State.EXCEPTION
    with INLINE_ON():
        done = post(as_user(people["fin"]), "case_release", case, {"reason": "old list"})
    assert "released and executed" in messages_of(done)[0]
    order.refresh_from_db()
    assert order.status == Order.State.EXECUTED
    assert order.decisions.latest("pk").decided_by == people["fin"]


def test_take_and_return(tmp_path, desk_masterdata, people, as_user):
    case = Case.objects.get(order=send(tmp_path, "PO-1", customer_part_number="Q"))
    client = as_user(people["cs"])
    post(client, "case_take", case)
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Case.State.IN_PROGRESS, people["cs"])
    assert "PO-1" in client.get(reverse("inbox") + "?queue=taken").content.decode()
    refused = post(client, "case_take", case)
    assert "in progress, not open" in messages_of(refused)[0]
    post(client, "case_return", case)
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Case.State.OPEN, None)
    assert case.history.first().history_user == people["cs"]


def test_reject_with_a_reply_to_the_customer_sent_once(tmp_path, desk_masterdata, people, as_user,
                                                       django_capture_on_commit_callbacks):
    order = send(tmp_path, "PO-1", customer_part_number="Q")
    case = Case.objects.get(order=order)
    client = as_user(people["comp"])
    refused = post(client, "case_reject", case, {"reason": "no", "send_reply": "on",
                                                 "reply_body": "x"})
    assert "only Customer service may reject" in messages_of(refused)[0]
    client = as_user(people["cs"])
    draft = client.get(reverse("case", args=[case.pk])).context["reply_body"]
    assert "PO-1" in draft and "<reason>" in draft
    with INLINE_ON(), django_capture_on_commit_callbacks(execute=True):
        done = post(client, "case_reject", case, {
            "reason": "we do not sell part Q", "send_reply": "on",
            "reply_subject": "Your order PO-1", "reply_body": draft})
    assert "rejected; the reply goes to b@acme.example" in messages_of(done)[0]
    order.refresh_from_db()
    assert order.status == Order.State.REJECTED
    reply = OutboxMessage.objects.get(order=order, idempotency_key=f"reply:{order.pk}")
    assert reply.status == OutboxMessage.State.DELIVERED
    sent = [m for m in mail.outbox if m.subject == "Your order PO-1"]
    assert len(sent) == 1 and "we do not sell part Q" in sent[0].body
    assert sent[0].extra_headers.get("In-Reply-To", "") == order.document.message_id
    again = post(client, "case_reject", case, {"reason": "again", "reply_body": "x",
                                               "send_reply": "on"})
    assert "the case is resolved: it cannot be rejected" in messages_of(again)[0]
    assert OutboxMessage.objects.filter(order=order).count() == 1


def test_correcting_a_line_rechecks_and_then_release_executes(tmp_path, desk_masterdata, people,
                                                              as_user):
    order = send(tmp_path, "PO-1", customer_part_number="WIDGET-9")
    case = Case.objects.get(order=order)
    client = as_user(people["cs"])
    form = client.get(reverse("case", args=[case.pk])).context["correct_form"]
    data = {**{name: ("" if value is None else value) for name, value in form.initial.items()},
            "line1_sku": "SKU-1", "line1_uom": "CS", "reason": "their part WIDGET-9 is SKU-1"}
    done = post(client, "case_correct", case, data)
    assert "every check passes" in messages_of(done)[0], messages_of(done)
    line = order.lines.get()
    assert (line.product.sku, line.resolved_uom, line.base_quantity) == ("SKU-1", "CS", 60)
    assert codes(order) == []
    assert line.history.first().history_user == people["cs"]
    bad = post(client, "case_correct", case, {**data, "line1_uom": "PAL"})
    assert "'PAL' is not a unit of SKU-1" in messages_of(bad)[0]
    with INLINE_ON():
        post(client, "case_release", case, {"reason": "corrected"})
    order.refresh_from_db()
    assert order.status == Order.State.EXECUTED


def test_a_master_data_fix_releases_the_siblings_with_the_same_cause(tmp_path, desk_masterdata, people,
                                                                     as_user):
    orders = [send(tmp_path, f"PO-{n}", customer_part_number="ACME-77") for n in range(3)]
    other = send(tmp_path, "PO-B", customer="C2", sender="x@beta.example",
                 customer_part_number="ACME-77")
    assert all(codes(order) == ["UNKNOWN_PRODUCT"] for order in orders)
    case = Case.objects.get(order=orders[0])
    client = as_user(people["cs"])
    post(client, "case_take", case)
    with INLINE_ON():
        done = post(client, "case_fix", case, {
            "customer_part-customer_part_number": "ACME-77", "customer_part-sku": "SKU-2",
            "customer_part-customer_number": "C1", "customer_part-reason": "confirmed by phone"},
            "customer_part")
    message = messages_of(done)[0]
    assert "this order is executed" in message and "2 other open case(s)" in message
    assert "2 released" in message
    for order in orders:
        order.refresh_from_db()
        assert order.status == Order.State.EXECUTED
        assert order.case.resolution == Case.Resolution.MASTER_DATA_FIXED
    other.refresh_from_db()
    assert other.status == Order.State.EXCEPTION  # another customer's part number
    part = CustomerPart.objects.get(customer_part_number="ACME-77")
    assert part.history.first().history_user == people["cs"]
    assert Case.objects.get(pk=case.pk).fixed_permanently


def test_only_finance_adds_a_price_agreement(tmp_path, desk_masterdata, people, as_user):
    Price.objects.filter(product__sku="SKU-2").delete()
    order = send(tmp_path, "PO-1", sku="SKU-2")
    assert codes(order) == ["PRICE_MISSING"]
    case = Case.objects.get(order=order)
    data = {"price-sku": "SKU-2", "price-unit_price": "2.10", "price-customer_number": "C1",
            "price-reason": "new agreement"}
    refused = post(as_user(people["cs"]), "case_fix", case, data, "price")
    assert "only Finance may add a price agreement" in messages_of(refused)[0]
    assert not Price.objects.filter(product__sku="SKU-2").exists()
    page = as_user(people["cs"]).get(reverse("case", args=[case.pk]))
    assert [fix.kind for fix, _form in page.context["fixes"]] == []
    with INLINE_ON():
        done = post(as_user(people["fin"]), "case_fix", case, data, "price")
    assert "this order is executed" in messages_of(done)[0]
    order.refresh_from_db()
    assert order.status == Order.State.EXECUTED
    assert order.lines.get().agreed_unit_price == Decimal("2.1")


def test_a_contact_fix_clears_unauthorized_sender_for_that_customer(tmp_path, desk_masterdata, people,
                                                                    as_user):
    order = send(tmp_path, "PO-1", sender="stranger@elsewhere.example")
    assert "UNAUTHORIZED_SENDER" in codes(order)
    case = Case.objects.get(order=order)
    with INLINE_ON():
        done = post(as_user(people["cs"]), "case_fix", case, {
            "contact-email": "stranger@elsewhere.example", "contact-customer_number": "C1",
            "contact-reason": "new buyer at Acme"}, "contact")
    assert "added as a contact of C1" in messages_of(done)[0]
    assert codes(order) == []
    dup = post(as_user(people["cs"]), "case_fix", case, {
        "contact-email": "stranger@elsewhere.example", "contact-customer_number": "C1",
        "contact-reason": "again"}, "contact")
    assert "resolved" in messages_of(dup)[0] or "already a contact" in messages_of(dup)[0]


def test_a_unit_alias_fix_teaches_the_desk_a_customers_unit_word(tmp_path, desk_masterdata, people,
                                                                 as_user):
    first = send(tmp_path, "PO-1", uom="Doos", quantity="2")
    second = send(tmp_path, "PO-2", uom="doos", quantity="3")
    beta = send(tmp_path, "PO-B", customer="C2", sender="x@beta.example", uom="Doos")
    assert codes(first) == codes(second) == codes(beta) == ["INVALID_UOM"]
    case = Case.objects.get(order=first)
    with INLINE_ON():
        done = post(as_user(people["cs"]), "case_fix", case, {
            "unit_alias-alias": "Doos", "unit_alias-uom": "CS", "unit_alias-scope": "customer",
            "unit_alias-customer_number": "C1", "unit_alias-reason": "Acme's Dutch site"},
            "unit_alias")
    assert "1 released" in messages_of(done)[0], messages_of(done)
    for order, base in ((first, 24), (second, 36)):
        order.refresh_from_db()
        assert order.status == Order.State.EXECUTED
        assert order.lines.get().base_quantity == base
    beta.refresh_from_db()
    assert beta.status == Order.State.EXCEPTION  # Acme's word, not Beta's
    refused = post(as_user(people["fin"]), "case_fix", Case.objects.get(order=beta), {
        "unit_alias-alias": "Doos", "unit_alias-uom": "CS", "unit_alias-scope": "everyone",
        "unit_alias-reason": "x"}, "unit_alias")
    assert "only Customer service may add a unit alias" in messages_of(refused)[0]


class INLINE_ON:
    """Deliver the outbox in this process, as `intake --sync` does."""

    def __enter__(self):
        self.token = INLINE.set(True)

    def __exit__(self, *exc):
        INLINE.reset(self.token)
