"""Intake end to end: store first, read, resolve, duplicates and changes."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ
from rest_framework.authtoken.models import Token

from orders.models import InboundDocument, Order
from orders.services import intake as service

pytestmark = pytest.mark.django_db


@pytest.fixture
def masterdata(load):
    load("customers", [
        {"customer_number": "C1001", "name": "Acme GmbH", "email_domains": "acme.example",
         "aliases": "ACME", "country": "DE", "currency": "EUR"},
        {"customer_number": "C1002", "name": "Beta SARL", "email_domains": "beta.example",
         "country": "FR", "currency": "EUR"},
    ])
    load("contacts", [{"email": "buyer@acme.example", "customer_number": "C1001"}])
    load("sales_reps", [{"email": "rep@orderdesk.example", "name": "Rep"}])
    load("shiptos", [
        {"customer_number": "C1001", "shipto_code": "S1", "name": "Acme Köln", "street": "Hauptstraße 5",
         "city": "Köln", "postal_code": "50667", "country": "DE", "is_default": "true"},
        {"customer_number": "C1001", "shipto_code": "S2", "name": "Acme Bonn", "street": "Rheinweg 1",
         "city": "Bonn", "postal_code": "53113", "country": "DE", "is_default": "false"},
    ])
    load("products", [
        {"sku": "SKU-1", "description": "Hex bolt M8x40 zinc", "base_uom": "EA", "uoms": "CS=12;PAL=480"},
        {"sku": "SKU-2", "description": "Nylon washer M8", "base_uom": "EA", "uoms": ""},
    ])
    load("customer_parts", [{"customer_number": "C1001", "customer_part_number": "A-77", "sku": "SKU-2"}])


def order_json(**changes) -> dict:
    body = {"sender": "buyer@acme.example", "customer_number": "C1001", "po_number": "4711",
            "order_date": "2026-11-20", "requested_date": "2026-12-01", "currency": "EUR",
            "lines": [{"sku": "SKU-1", "quantity": "10", "uom": "CS", "unit_price": "12.50"}]}
    body.update(changes)
    return body


def intake(tmp_path, name: str, body, *args) -> str:
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else json.dumps(body).encode())
    out = StringIO()
    call_command("intake", str(path), "--sync", *args, stdout=out)
    return out.getvalue()


def last_order() -> Order:
    return Order.objects.order_by("-pk").first()


def codes(order: Order) -> list[str]:
    return [cause["code"] for cause in order.causes]


INTAKE_CAUSES = {"UNKNOWN_CUSTOMER", "AMBIGUOUS_CUSTOMER", "UNAUTHORIZED_SENDER", "UNKNOWN_SHIPTO",
                 "UNKNOWN_PRODUCT", "INVALID_UOM", "ORDER_CHANGE", "FREE_TEXT_INSTRUCTION",
                 "EXTRACTION_UNCERTAIN"}


def test_a_clean_order_is_stored_resolved_and_handed_to_the_boundary(tmp_path, masterdata):
    intake(tmp_path, "po.json", order_json())
    order = last_order()
    assert not set(codes(order)) & INTAKE_CAUSES, order.causes
    assert order.decisions.count() == 1
    assert order.source == str(tmp_path / "po.json")
    assert (order.customer.customer_number, order.shipto.shipto_code) == ("C1001", "S1")
    line = order.lines.get()
    assert (line.product.sku, line.resolved_uom, line.base_quantity) == ("SKU-1", "CS", 120)
    document = order.document
    assert bytes(document.raw) == (tmp_path / "po.json").read_bytes()
    assert document.status == InboundDocument.State.PROCESSED
    assert order.history.first().history_user.username == "orderdesk-system"


def test_the_same_file_twice_is_a_duplicate_and_creates_no_second_order(tmp_path, masterdata):
    intake(tmp_path, "po.json", order_json())
    intake(tmp_path, "po.json", order_json())
    first, second = Order.objects.order_by("pk")
    assert second.status == Order.State.DUPLICATE
    assert second.related_order == first
    assert not second.lines.exists() or second.status == Order.State.DUPLICATE
    assert Order.objects.exclude(status=Order.State.DUPLICATE).count() == 1


def test_same_po_with_other_content_is_an_order_change(tmp_path, masterdata):
    intake(tmp_path, "po.json", order_json())
    changed = order_json(lines=[{"sku": "SKU-1", "quantity": "20", "uom": "CS"}])
    intake(tmp_path, "po2.json", changed)
    assert codes(last_order())[0] == "ORDER_CHANGE"  # then the business checks (no prices here)
    assert last_order().status == Order.State.EXCEPTION


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"lines": [{"sku": "NOPE", "quantity": "1"}]}, "UNKNOWN_PRODUCT"),
        ({"lines": [{"sku": "SKU-1", "quantity": "1", "uom": "KG"}]}, "INVALID_UOM"),
        ({"sender": "stranger@evil.example"}, "UNAUTHORIZED_SENDER"),
        ({"customer_number": "C9999", "sender": "x@nowhere.example"}, "UNKNOWN_CUSTOMER"),
        ({"customer_number": "C1002"}, "AMBIGUOUS_CUSTOMER"),
        ({"shipto_code": "S9"}, "UNKNOWN_SHIPTO"),
        ({"ship_to": {"name": "New site", "street": "Neue Str. 9", "city": "Berlin",
                      "postal_code": "10115", "country": "DE"}}, "UNKNOWN_SHIPTO"),
        ({"notes": "please deliver to our new warehouse instead"}, "FREE_TEXT_INSTRUCTION"),
    ],
)
def test_intake_findings_route_with_their_cause(tmp_path, masterdata, changes, expected):
    intake(tmp_path, "po.json", order_json(**changes))
    order = last_order()
    assert order.status == Order.State.EXCEPTION
    assert expected in codes(order), order.causes


def test_customer_part_numbers_and_address_matching_resolve(tmp_path, masterdata):
    body = order_json(customer_number="", lines=[{"customer_part_number": "A-77", "quantity": "5"}],
                      ship_to={"name": "Acme", "street": "Rheinweg 1", "city": "Bonn",
                               "postal_code": "53113", "country": "DE"})
    intake(tmp_path, "po.json", body)
    order = last_order()
    assert not set(codes(order)) & INTAKE_CAUSES, order.causes
    assert order.shipto.shipto_code == "S2"
    assert order.lines.get().product.sku == "SKU-2"


def test_identifiers_resolve_in_any_spelling_of_the_case(tmp_path, masterdata, load):
    # "sku-1" and "a-77" are found among the spellings tried first (as written, in
    # capitals, in small letters); "mX-9" for "Mx-9" only by comparing lowered keys.
    load("products", [{"sku": "Mx-9", "description": "Spring washer M9", "base_uom": "EA"}])
    body = order_json(lines=[{"sku": "sku-1", "quantity": "1", "uom": "CS"},
                             {"sku": "mX-9", "quantity": "2"},
                             {"customer_part_number": "a-77", "quantity": "3"}])
    intake(tmp_path, "po.json", body)
    order = last_order()
    assert not set(codes(order)) & INTAKE_CAUSES, order.causes
    assert [line.product.sku for line in order.lines.order_by("position")] == ["SKU-1", "Mx-9", "SKU-2"]


def test_unreadable_bytes_are_rejected_and_kept(tmp_path, masterdata):
    intake(tmp_path, "junk.pdf", b"%PDF-1.4 garbage \x00\xff" * 10)
    order = last_order()
    assert order.status == Order.State.REJECTED
    assert codes(order) == ["UNREADABLE_DOCUMENT"]
    assert order.document.size == 190


def test_a_crashing_reader_loses_nothing(tmp_path, masterdata, monkeypatch):
    def boom(data, name="", budget=None):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(service, "read_document", boom)
    intake(tmp_path, "po.json", order_json())
    order = last_order()
    assert codes(order) == ["UNREADABLE_DOCUMENT"]
    assert "parser bug" in order.causes[0]["message"]


def test_bad_arguments_store_nothing(tmp_path):
    with pytest.raises(CommandError, match="no such file or directory"):
        call_command("intake", str(tmp_path / "missing.json"), "--sync")
    with pytest.raises(CommandError, match="not an e-mail address"):
        call_command("intake", str(tmp_path), "--sender", "nobody")
    assert not InboundDocument.objects.exists()


def test_directories_are_read_recursively_in_name_order(tmp_path, masterdata):
    for name in ["b/2.json", "a/1.json", "a/3.json", ".hidden/x.json"]:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(order_json(po_number=name)))
    call_command("intake", str(tmp_path / "in"), "--sync", stdout=StringIO())
    sources = list(Order.objects.order_by("pk").values_list("source", flat=True))
    assert sources == [str(tmp_path / "in" / n) for n in ["a/1.json", "a/3.json", "b/2.json"]]


def test_without_sync_documents_are_queued_and_processed_once(tmp_path, masterdata, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda *a, **k: queued.append(a[1]))
    path = tmp_path / "po.json"
    path.write_text(json.dumps(order_json()))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("intake", str(path), stdout=StringIO())
    document = InboundDocument.objects.get()
    assert queued == [document.pk]
    assert document.status == InboundDocument.State.RECEIVED
    service.document_process(document_id=document.pk)
    assert service.document_process(document_id=document.pk) is None  # redelivered
    assert Order.objects.count() == 1


def test_sweeper_requeues_stuck_documents_then_rejects_them(masterdata, monkeypatch):
    queued = []
    monkeypatch.setattr(service, "_enqueue", queued.append)
    document, _ = service.document_receive(data=b"{}", source="x.json", channel="file", enqueue=False)
    assert service.documents_sweep(now=timezone.now() + timedelta(minutes=5)) == 1
    for _ in range(service.MAX_ATTEMPTS):
        service._transition(document.pk, "received", "processing")
        document.refresh_from_db()
        service.documents_sweep(now=document.started_at + timedelta(hours=1))
    document.refresh_from_db()
    assert document.status == InboundDocument.State.PROCESSED
    assert codes(document.orders.get()) == ["UNREADABLE_DOCUMENT"]


@pytest.fixture
def api_client(client, make_user):
    user = make_user("erp")
    user.email = "buyer@acme.example"
    user.save()
    user.user_permissions.add(*Permission.objects.filter(
        codename__in=["add_inbounddocument", "view_inbounddocument"]))
    token = Token.objects.create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_rest_intake_honours_idempotency_keys(api_client, masterdata, monkeypatch):
    monkeypatch.setattr(service, "_enqueue", lambda pk: None)
    url = reverse("orders-api:order-intake")
    body = json.dumps(order_json())
    first = api_client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api_client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json()["id"] == again.json()["id"]
    assert InboundDocument.objects.count() == 1
    status = api_client.get(reverse("orders-api:document-status", args=[first.json()["id"]]))
    assert status.json()["status"] == "received"


def test_rest_intake_refuses_strangers(client, make_user, masterdata):
    url = reverse("orders-api:order-intake")
    assert client.post(url, "{}", content_type="application/json").status_code in (401, 403)
    client.force_login(make_user("cs", "Customer service"))
    assert client.post(url, "{}", content_type="application/json").status_code == 403
    assert not InboundDocument.objects.exists()


def test_rest_upload_stores_the_file(api_client, masterdata, monkeypatch):
    monkeypatch.setattr(service, "_enqueue", lambda pk: None)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("po.json", json.dumps(order_json()).encode())
    response = api_client.post(reverse("orders-api:document-upload"), {"file": upload})
    assert response.status_code == 202
    assert InboundDocument.objects.get().filename == "po.json"


def test_a_delivery_address_read_only_in_part_never_falls_back_to_the_default(tmp_path, masterdata):
    body = order_json(ship_to={"name": "Acme Lager Süd, Industriestr. 4, 80331 München"})
    intake(tmp_path, "po.json", body)
    order = last_order()
    assert order.shipto is None
    assert "UNKNOWN_SHIPTO" in codes(order)


def test_the_same_message_again_is_a_duplicate_even_without_a_po_number(tmp_path, masterdata):
    message = (b"From: buyer@acme.example\r\nTo: orders@us.example\r\nSubject: order\r\n"
               b"Message-ID: <abc-1@acme.example>\r\n\r\nHello,\r\n\r\n10 x SKU-1\r\n\r\nThanks\r\n")
    intake(tmp_path, "one.eml", message)
    intake(tmp_path, "two.eml", message.replace(b"Thanks", b"Thanks!"))  # same Message-ID
    first, second = Order.objects.order_by("pk")
    assert first.po_number == "" and first.status == Order.State.EXCEPTION
    assert (second.status, second.related_order) == (Order.State.DUPLICATE, first)


@pytest.mark.skipif("orm" not in settings.Q_CLUSTER, reason="the task is in the database only "
                    "with the ORM broker (Redis: queued on commit)")
def test_a_stored_document_and_its_task_commit_together(masterdata):
    with pytest.raises(RuntimeError), transaction.atomic():
        service.document_receive(data=json.dumps(order_json()).encode(), source="x.json",
                                 channel="file")
        assert OrmQ.objects.count() == 1  # queued in the document's own transaction ...
        raise RuntimeError("the request failed after storing")
    assert not InboundDocument.objects.exists()
    assert not OrmQ.objects.exists()  # ... so it is gone with it: no task for a missing document


# --- one document's budget and limits (issue 13) ----------------------------------------------------


def test_orders_past_the_documents_budget_are_routed_not_dropped(tmp_path, masterdata, settings):
    settings.DOCUMENT_MAX_ORDERS = 2
    intake(tmp_path, "batch.json", [order_json(po_number=f"PO-{n}") for n in range(1, 5)])
    orders = list(Order.objects.order_by("position"))
    assert [order.po_number for order in orders] == ["PO-1", "PO-2", ""]
    rest = orders[-1]
    assert rest.status == Order.State.REJECTED and codes(rest) == ["UNREADABLE_DOCUMENT"]
    assert rest.causes[0]["message"].startswith("orders 3 to 4 of the document were not read: at most 2")


def _x12_of(segments: int) -> bytes:
    isa = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401"
           "*000000001*0*P*>~")
    return (isa + "GS*PO*S*R*20240101*1200*1*X*004010~ST*850*0001~BEG*00*SA*PO-9**20240101~"
            + "PO1*1*10*EA*1.5**VP*SKU-1~" * segments + "SE*3*0001~GE*1*1~IEA*1*000000001~").encode()


def test_a_reader_out_of_memory_makes_the_document_unreadable_not_processing(tmp_path, masterdata,
                                                                             settings):
    # A 25 MB X12 file ran the worker out of memory: the document stayed "processing" and
    # the command stopped. Read in the limited child, it is unreadable with the limit named.
    settings.DOCUMENT_READ_MEMORY_MB = 64
    intake(tmp_path, "big.x12", _x12_of(90_000))
    order = last_order()
    assert order.document.status == InboundDocument.State.PROCESSED
    assert codes(order) == ["UNREADABLE_DOCUMENT"]
    assert order.causes[0]["message"] == "X12 reading ran out of memory (64 MB limit)"


def test_a_document_past_its_reading_time_is_unreadable_with_the_limit_named(tmp_path, masterdata,
                                                                             settings, monkeypatch):
    from integrations.parsers import order_json as reader
    from integrations.parsers import sandbox

    def endless(data, *, name=""):
        while True:
            pass

    sandbox.warm_stop()  # the next warm child is forked with the endless reader
    monkeypatch.setattr(reader, "parse", endless)
    settings.DOCUMENT_READ_SECONDS = 1
    try:
        intake(tmp_path, "po.json", order_json())
    finally:
        sandbox.warm_stop()
    order = last_order()
    assert order.document.status == InboundDocument.State.PROCESSED
    assert order.causes[0]["message"] == "JSON reading exceeded 1 s"


def test_running_out_of_memory_resolving_orders_never_leaves_the_document_processing(
        tmp_path, masterdata, monkeypatch):
    def exhausted(**kwargs):
        raise MemoryError

    monkeypatch.setattr(service, "order_read", exhausted)
    intake(tmp_path, "po.json", order_json())
    order = last_order()
    assert order.document.status == InboundDocument.State.PROCESSED
    assert codes(order) == ["UNREADABLE_DOCUMENT"]
    assert "ran out of memory" in order.causes[0]["message"]


def test_the_command_goes_on_with_the_next_file_when_one_fails(tmp_path, masterdata, monkeypatch):
    from orders.management.commands import intake as command

    process = command.document_process

    def failing_for_b(*, document_id):
        if InboundDocument.objects.get(pk=document_id).filename == "b.json":
            raise MemoryError
        return process(document_id=document_id)

    monkeypatch.setattr(command, "document_process", failing_for_b)
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.json").write_text(json.dumps(order_json(po_number=name)))
    errors = StringIO()
    with pytest.raises(CommandError, match="1 of 3 file"):
        call_command("intake", str(tmp_path), "--sync", stdout=StringIO(), stderr=errors)
    assert "b.json: failed: MemoryError" in errors.getvalue()
    assert sorted(Order.objects.values_list("po_number", flat=True)) == ["a", "c"]
