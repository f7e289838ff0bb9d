"""The case lifecycle over REST: /api/v1/cases/… with the services, checks and
events of the browser and the `case` command."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from exceptions.models import Case, CaseEvent
from orders import roles
from orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def masterdata(load):
    load("customers", [{"customer_number": "C1", "name": "Acme GmbH",
                        "email_domains": "acme.example", "country": "DE", "currency": "EUR"}])
    load("shiptos", [{"customer_number": "C1", "shipto_code": "S1", "name": "Acme",
                      "street": "Weg 1", "city": "Köln", "postal_code": "50667", "country": "DE",
                      "is_default": "true"}])
    load("products", [{"sku": "SKU-1", "description": "Widget", "base_uom": "EA"}])
    load("prices", [{"customer_number": "C1", "sku": "SKU-1", "unit_price": "1",
                     "currency": "EUR"}])
    load("inventory", [{"sku": "SKU-1", "warehouse": "A", "on_hand": "100"}])
    load("credit", [{"customer_number": "C1", "credit_limit": "10000"}])


@pytest.fixture
def people(make_user):
    return {"cs": make_user("cs", roles.CUSTOMER_SERVICE), "fin": make_user("fin", roles.FINANCE),
            "nobody": make_user("nobody")}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def send(tmp_path, po="PO-1", **changes) -> Order:
    body = {"sender": "b@acme.example", "customer_number": "C1", "po_number": po,
            "lines": [{"sku": "SKU-1", "quantity": "5"}], **changes}
    path = tmp_path / f"{po}.json"
    path.write_text(json.dumps(body))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def test_list_and_detail_show_cases_with_their_events(tmp_path, masterdata, people):
    first, second = send(tmp_path, "PO-1"), send(tmp_path, "PO-2")
    api = client_for(people["cs"])
    api.post(f"/api/v1/cases/{first.case.pk}/reject", {"reason": "cancelled"}, format="json")
    listed = api.get("/api/v1/cases/").json()
    assert [r["po_number"] for r in listed["results"]] == ["PO-2"] and listed["next"] is None
    everything = api.get("/api/v1/cases/", {"status": "all", "limit": 1}).json()
    assert [r["po_number"] for r in everything["results"]] == ["PO-1"] and everything["next"]
    detail = api.get(f"/api/v1/cases/{first.case.pk}/").json()
    assert detail["status"] == "resolved" and detail["resolution"] == "rejected"
    assert [(e["kind"], e["actor"], e["reason"]) for e in detail["events"]] == [
        ("opened", "orderdesk-system", "boundary: would_execute"), ("rejected", "cs", "cancelled")]
    assert api.get("/api/v1/cases/", {"status": "closed"}).json() == {
        "detail": "status must be one of open, all"}
    assert second.case.pk in {r["case"] for r in listed["results"]}


def test_correct_then_release_over_the_api(tmp_path, masterdata, people):
    order = send(tmp_path)
    api = client_for(people["cs"])
    url = f"/api/v1/cases/{order.case.pk}"
    corrected = api.post(f"{url}/correct", {"reason": "phoned", "requested_date": "2099-12-01",
                                            "lines": [{"sku": "SKU-1", "quantity": "8"}]},
                         format="json")
    assert corrected.status_code == 200, corrected.json()
    event = corrected.json()["events"][-1]
    assert event["kind"] == "corrected" and event["actor"] == "cs"
    assert event["changes"]["fields"]["requested_date"] == {"read": "", "set": "2099-12-01"}
    assert event["changes"]["lines"]["after"][0]["quantity"] == "8"
    released = api.post(f"{url}/release", {"reason": "checked"}, format="json")
    assert released.status_code == 200 and released.json()["resolution"] == "released"
    order.refresh_from_db()
    assert order.status == Order.State.EXECUTED and order.lines.get().quantity == 8
    again = api.post(f"{url}/release", {"reason": "again"}, format="json")
    assert (again.status_code, again.json()) == (409, {
        "detail": "the case is resolved: it cannot be released"})


def test_refusals_answer_with_a_detail_and_change_nothing(tmp_path, masterdata, people):
    order = send(tmp_path)
    url = f"/api/v1/cases/{order.case.pk}"
    outsider = client_for(people["nobody"])
    assert outsider.get("/api/v1/cases/").status_code == 403
    assert outsider.post(f"{url}/release", {"reason": "x"}, format="json").status_code == 403
    api = client_for(people["cs"])
    bad = api.post(f"{url}/correct", {"reason": "r", "lines": [{"sku": "NOPE", "quantity": 1}]},
                   format="json")
    assert (bad.status_code, bad.json()) == (400, {"detail": "line 1: there is no product 'NOPE'"})
    fin = client_for(people["fin"]).post(f"{url}/reject", {"reason": "x"}, format="json")
    assert fin.status_code == 400 and "only Customer service may reject" in fin.json()["detail"]
    assert api.post("/api/v1/cases/999999/release", {"reason": "x"},
                    format="json").status_code == 404
    assert APIClient().get("/api/v1/cases/").status_code in (401, 403)
    case = Case.objects.get(pk=order.case.pk)
    assert case.is_open and list(case.events.values_list("kind", flat=True)) == [
        CaseEvent.Kind.OPENED]


def test_session_users_act_through_the_same_endpoints(tmp_path, masterdata, people):
    order = send(tmp_path)
    api = APIClient()
    api.force_login(people["cs"])
    done = api.post(f"/api/v1/cases/{order.case.pk}/reject", {"reason": "dup"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "resolved"
