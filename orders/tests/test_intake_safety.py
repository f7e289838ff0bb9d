"""Issue 13: who an API document speaks for (1c), input over the accepted size
(12) and idempotency keys that are their user's own (14)."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orders.models import InboundDocument, Order
from orders.selectors import outcome_records
from orders.services import intake as service

pytestmark = pytest.mark.django_db

LIMIT = 2000


@pytest.fixture
def masterdata(load):
    load("customers", [{"customer_number": "C1001", "name": "Acme GmbH",
                        "email_domains": "acme.example", "country": "DE", "currency": "EUR"}])
    load("contacts", [{"email": "buyer@acme.example", "customer_number": "C1001"}])
    load("shiptos", [{"customer_number": "C1001", "shipto_code": "S1", "name": "Acme Köln",
                      "street": "Hauptstraße 5", "city": "Köln", "postal_code": "50667",
                      "country": "DE", "is_default": "true"}])
    load("products", [{"sku": "SKU-1", "description": "Hex bolt", "base_uom": "EA",
                       "uoms": "CS=12"}])


@pytest.fixture(autouse=True)
def _no_queue(monkeypatch):
    monkeypatch.setattr(service, "_enqueue", lambda pk: None)


def order_json(**changes) -> dict:
    body = {"sender": "buyer@acme.example", "customer_number": "C1001", "po_number": "4711",
            "requested_date": "2099-12-01",
            "lines": [{"sku": "SKU-1", "quantity": "10", "uom": "CS"}]}
    return {**body, **changes}


@pytest.fixture
def api_user(make_user):
    def api_user(username: str, email: str = "", *, view: bool = True) -> APIClient:
        user = make_user(username)
        user.email = email
        user.save()
        codenames = ["add_inbounddocument"] + (["view_inbounddocument"] if view else [])
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        client.user = user
        return client

    return api_user


def post_order(client: APIClient, body: dict, **headers):
    return client.post(reverse("orders-api:order-intake"), json.dumps(body),
                       content_type="application/json", headers=headers)


def read(document_id: int) -> Order:
    service.document_process(document_id=document_id)
    return Order.objects.get(document_id=document_id)


def codes(order: Order) -> list[str]:
    return [cause["code"] for cause in order.causes]


# --- 1(c): an API user orders as itself ------------------------------------------------


def test_an_api_user_without_email_is_not_authorised_by_the_sender_its_json_names(
        api_user, masterdata):
    response = post_order(api_user("erp"), order_json())
    order = read(response.json()["id"])
    assert order.sender == ""
    assert "UNAUTHORIZED_SENDER" in codes(order)


def test_an_api_user_orders_as_its_own_address_not_as_the_json_sender(api_user, masterdata):
    response = post_order(api_user("erp", "robot@elsewhere.example"), order_json())
    order = read(response.json()["id"])
    assert order.sender == "robot@elsewhere.example"
    assert "UNAUTHORIZED_SENDER" in codes(order)


def test_an_api_user_who_is_a_contact_orders_for_its_customer(api_user, masterdata):
    response = post_order(api_user("buyer", "buyer@acme.example"), order_json(sender=""))
    order = read(response.json()["id"])
    assert order.customer.customer_number == "C1001"
    assert "UNAUTHORIZED_SENDER" not in codes(order)


def test_a_file_without_sender_still_speaks_as_its_named_buyer(tmp_path, masterdata):
    path = tmp_path / "po.json"
    path.write_text(json.dumps(order_json()))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    order = Order.objects.get()
    assert order.sender == "buyer@acme.example"
    assert "UNAUTHORIZED_SENDER" not in codes(order)


# --- 12: input over the accepted size is refused unread, and the refusal recorded ---------


def test_intake_refuses_an_oversize_file_records_it_and_goes_on(tmp_path, masterdata, settings):
    settings.ORDERDESK_MAX_DOCUMENT_BYTES = LIMIT
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "1.json").write_text(json.dumps(order_json(po_number="A")))
    (folder / "2.json").write_bytes(b"{" + b" " * LIMIT + b"}")
    (folder / "3.json").write_text(json.dumps(order_json(po_number="C")))
    out, err = StringIO(), StringIO()
    call_command("intake", str(folder), "--sync", stdout=out, stderr=err)
    assert "2.json: refused" in err.getvalue()
    refused = InboundDocument.objects.get(source=str(folder / "2.json"))
    assert (bytes(refused.raw), refused.size, refused.status) == (b"", LIMIT + 2, "processed")
    records = {r["source"].rsplit("/", 1)[-1]: r for r in outcome_records()}
    assert records["2.json"]["status"] == "rejected"
    assert records["2.json"]["causes"] == ["UNREADABLE_DOCUMENT"]
    assert str(LIMIT) in refused.orders.get().causes[0]["message"]
    assert [records[n]["po_number"] for n in ("1.json", "3.json")] == ["A", "C"]


def test_intake_never_reads_an_oversize_file(tmp_path, masterdata, settings, monkeypatch):
    settings.ORDERDESK_MAX_DOCUMENT_BYTES = LIMIT
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF" + b"x" * LIMIT)
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("read"))
    monkeypatch.setattr("builtins.open", lambda *a, **k: pytest.fail(f"opened {a[0]}"))
    call_command("intake", str(path), stdout=StringIO(), stderr=StringIO())
    assert InboundDocument.objects.get().error.startswith(f"document of {LIMIT + 4} bytes")


def test_the_api_answers_413_before_reading_an_oversize_body(api_user, masterdata, settings):
    settings.ORDERDESK_MAX_DOCUMENT_BYTES = LIMIT
    client = api_user("erp", "buyer@acme.example")
    # Content-Length claims 1.1 GB over a tiny body: reading it would fail the test client.
    response = client.post(reverse("orders-api:order-intake"), b"{}",
                           content_type="application/json", CONTENT_LENGTH="1100000000")
    assert response.status_code == 413
    assert response.json()["limit"] == LIMIT
    assert "exceeds the size limit" in response.json()["detail"]
    document = InboundDocument.objects.get()
    assert (document.size, document.submitted_by, document.raw) == (1100000000, client.user, b"")
    assert codes(document.orders.get()) == ["UNREADABLE_DOCUMENT"]


def test_an_oversize_multipart_upload_is_refused_unread(api_user, masterdata, settings):
    settings.ORDERDESK_MAX_DOCUMENT_BYTES = LIMIT
    client = api_user("erp", "buyer@acme.example")
    response = client.post(reverse("orders-api:document-upload"),
                           {"file": SimpleUploadedFile("po.json", b"{}")},
                           CONTENT_LENGTH=str(2 * 1024 ** 3))
    assert response.status_code == 413
    assert InboundDocument.objects.get().source == "api/upload"


def test_an_upload_over_the_limit_within_the_envelope_is_refused(api_user, masterdata, settings):
    settings.ORDERDESK_MAX_DOCUMENT_BYTES = LIMIT
    client = api_user("erp", "buyer@acme.example")
    response = client.post(reverse("orders-api:document-upload"),
                           {"file": SimpleUploadedFile("po.json", b" " * (LIMIT + 1))})
    assert response.status_code == 413
    assert response.json()["document"]["orders"][0]["causes"] == ["UNREADABLE_DOCUMENT"]
    assert InboundDocument.objects.get().source == "api/po.json"


def test_a_body_at_the_limit_is_accepted(api_user, masterdata, settings):
    body = json.dumps(order_json()).encode()
    settings.ORDERDESK_MAX_DOCUMENT_BYTES = len(body)
    response = api_user("erp", "buyer@acme.example").post(
        reverse("orders-api:order-intake"), body, content_type="application/json")
    assert response.status_code == 202


# --- 14: idempotency keys are per user, and a reused key with another body is refused ---


def test_a_reused_key_with_another_body_is_refused(api_user, masterdata):
    client = api_user("erp", "buyer@acme.example")
    assert post_order(client, order_json(), **{"Idempotency-Key": "k1"}).status_code == 202
    again = post_order(client, order_json(po_number="4712"), **{"Idempotency-Key": "k1"})
    assert again.status_code == 422
    assert "used with another body" in again.json()["detail"]
    assert InboundDocument.objects.count() == 1
    assert post_order(client, order_json(), **{"Idempotency-Key": "k1"}).status_code == 200


def test_another_users_key_gives_its_own_document_never_the_others(api_user, masterdata):
    owner = api_user("erp", "buyer@acme.example")
    first = post_order(owner, order_json(), **{"Idempotency-Key": "shared"})
    stranger = api_user("intruder", "x@elsewhere.example", view=False)
    second = post_order(stranger, order_json(), **{"Idempotency-Key": "shared"})
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["id"] != second.json()["id"]
    mine = InboundDocument.objects.get(pk=second.json()["id"])
    assert mine.submitted_by == stranger.user
    assert stranger.get(reverse("orders-api:document-status",
                                args=[first.json()["id"]])).status_code == 403


def test_the_mailbox_keys_without_a_user_stay_unique(masterdata):
    kwargs = {"source": "imap/x.eml", "channel": "email", "idempotency_key": "imap:1",
              "enqueue": False}
    first, created = service.document_receive(data=b"From: a@b\r\n\r\nx", **kwargs)
    again, created_again = service.document_receive(data=b"From: a@b\r\n\r\nx", **kwargs)
    assert (created, created_again, again.pk) == (True, False, first.pk)


def test_a_key_racing_in_twice_returns_the_first_document(masterdata, monkeypatch, make_user):
    user = make_user("erp")
    kwargs = {"data": b"{}", "source": "api/order.json", "channel": "api",
              "idempotency_key": "k", "submitted_by": user, "enqueue": False}
    first, _ = service.document_receive(**kwargs)
    real = service._earlier_with_key
    calls = []

    def not_yet(*args):  # the second request looked before the first committed
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(service, "_earlier_with_key", not_yet)
    again, created = service.document_receive(**kwargs)
    assert (again.pk, created, len(calls)) == (first.pk, False, 2)
    assert InboundDocument.objects.count() == 1
