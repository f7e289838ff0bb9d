"""Admin screens: role permissions, reasons in history, imports, query counts."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from conftest import csv_text
from orders import models, roles
from orders.services.masterdata import import_job_run

pytestmark = pytest.mark.django_db


def test_roles_exist_as_groups():
    names = set(Group.objects.values_list("name", flat=True))
    assert {roles.CUSTOMER_SERVICE, roles.FINANCE, roles.COMPLIANCE,
            roles.ORDER_DESK_MANAGER} <= names


def price_form(price, **changes):
    data = {"customer": price.customer_id, "product": price.product_id,
            "unit_price": "11.00", "currency": "EUR", "valid_from": "", "valid_to": "",
            "change_reason": "new agreement"}
    data.update(changes)
    return data


@pytest.fixture
def price(basic_masterdata, load):
    load("prices", [{"customer_number": "C1", "sku": "SKU-1", "unit_price": "10.00",
                     "currency": "EUR"}])
    return models.Price.objects.get()


def test_finance_edits_prices_with_a_reason_recorded(client, make_user, price):
    user = make_user("fin", roles.FINANCE)
    client.force_login(user)
    url = reverse("admin:orders_price_change", args=[price.pk])
    response = client.post(url, price_form(price))
    assert response.status_code == 302, response.content[:2000]
    price.refresh_from_db()
    assert str(price.unit_price) == "11.0000"
    record = price.history.first()
    assert (record.history_user, record.history_change_reason) == (user, "new agreement")


def test_a_change_without_a_reason_is_refused(client, make_user, price):
    client.force_login(make_user("fin", roles.FINANCE))
    url = reverse("admin:orders_price_change", args=[price.pk])
    response = client.post(url, price_form(price, change_reason=""))
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors


@pytest.mark.parametrize("role", [roles.CUSTOMER_SERVICE, roles.COMPLIANCE])
def test_only_finance_may_change_prices(client, make_user, price, role):
    client.force_login(make_user("u", role))
    url = reverse("admin:orders_price_change", args=[price.pk])
    assert client.get(url).status_code == 200  # may read
    client.post(url, price_form(price))
    price.refresh_from_db()
    assert str(price.unit_price) == "10.0000"
    assert client.get(reverse("admin:orders_price_add")).status_code == 403


def test_finance_may_not_touch_customers_or_denied_parties(client, make_user, basic_masterdata):
    client.force_login(make_user("fin", roles.FINANCE))
    assert client.get(reverse("admin:orders_customer_add")).status_code == 403
    assert client.get(reverse("admin:orders_deniedparty_add")).status_code == 403
    customer = models.Customer.objects.get(customer_number="C1")
    response = client.post(reverse("admin:orders_customer_delete", args=[customer.pk]),
                           {"post": "yes"})
    assert response.status_code == 403
    assert models.Customer.objects.filter(pk=customer.pk).exists()


def test_compliance_edits_denied_parties_and_restrictions(client, make_user, basic_masterdata):
    client.force_login(make_user("comp", roles.COMPLIANCE))
    response = client.post(reverse("admin:orders_deniedparty_add"), {
        "name": "Evil Corp", "street": "", "city": "", "country": "KP",
        "change_reason": "OFAC list update",
    })
    assert response.status_code == 302
    product = models.Product.objects.get(sku="SKU-1")
    response = client.post(reverse("admin:orders_productrestriction_add"), {
        "product": product.pk, "country": "IR", "change_reason": "export control",
    })
    assert response.status_code == 302
    assert product.restrictions.get().country == "IR"
    assert client.get(reverse("admin:orders_product_add")).status_code == 403
    assert client.get(reverse("admin:orders_credit_add")).status_code == 403


def test_customer_service_reads_but_cannot_write(client, make_user, basic_masterdata):
    client.force_login(make_user("cs", roles.CUSTOMER_SERVICE))
    registered = {model._meta.model_name for model, _ in _registered_orders_admins()}
    for name in sorted(set(roles.MASTER_DATA_MODELS) & registered):
        assert client.get(reverse(f"admin:orders_{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"admin:orders_{name}_add")).status_code == 403, name
    customer = models.Customer.objects.get(customer_number="C1")
    client.post(reverse("admin:orders_customer_change", args=[customer.pk]), {
        "customer_number": "C1", "name": "Hacked", "country": "DE", "currency": "EUR",
        "status": "active", "change_reason": "x",
    })
    customer.refresh_from_db()
    assert customer.name == "Acme GmbH"
    assert client.get(reverse("admin:orders_customer_import")).status_code == 403


def test_admin_import_previews_then_confirms_with_history(client, make_user, basic_masterdata):
    user = make_user("fin", roles.FINANCE)
    client.force_login(user)
    body = csv_text([{"customer_number": "C1", "sku": "SKU-2", "unit_price": "4.20",
                      "currency": "EUR"}]).encode()
    upload = SimpleUploadedFile("prices.csv", body, content_type="text/csv")
    response = client.post(reverse("admin:orders_price_import"),
                           {"format": "0", "import_file": upload, "resource": "0"})
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["result"].invalid_rows
    assert not models.Price.objects.exists()  # the preview wrote nothing
    response = client.post(reverse("admin:orders_price_process_import"), confirm.initial)
    assert response.status_code == 302
    record = models.Price.objects.get().history.get()
    assert record.history_user == user
    assert "prices.csv" in record.history_change_reason


def test_admin_import_shows_bad_rows_and_offers_no_confirm(client, make_user, basic_masterdata):
    client.force_login(make_user("fin", roles.FINANCE))
    body = csv_text([{"customer_number": "C9", "sku": "SKU-2", "unit_price": "4.20",
                      "currency": "EUR"}]).encode()
    upload = SimpleUploadedFile("prices.csv", body, content_type="text/csv")
    response = client.post(reverse("admin:orders_price_import"),
                           {"format": "0", "import_file": upload, "resource": "0"})
    assert response.context.get("confirm_form") is None
    assert "unknown customer_number" in response.content.decode()


@override_settings(ORDERDESK_ADMIN_SYNC_IMPORT_ROWS=2)
def test_big_admin_import_runs_as_a_background_job(client, make_user, basic_masterdata,
                                                    django_capture_on_commit_callbacks,
                                                    monkeypatch):
    queued = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda *a, **k: queued.append(a))
    user = make_user("mgr", roles.ORDER_DESK_MANAGER)
    client.force_login(user)
    rows = [{"email": f"b{i}@acme.example", "customer_number": "C1", "name": f"B{i}"}
            for i in range(5)]
    upload = SimpleUploadedFile("contacts.csv", csv_text(rows).encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:orders_contact_import"),
                               {"format": "0", "import_file": upload, "resource": "0"})
    job = models.ImportJob.objects.get()
    assert response.status_code == 302
    assert queued == [("orders.tasks.run_import_job", job.pk)]
    assert not models.Contact.objects.exists()
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.counts["created"] == 5
    assert models.Contact.history.filter(history_user=user).count() == 5
    assert import_job_run(job_id=job.pk) is None  # a redelivered task does nothing


def test_export_neutralises_spreadsheet_formulas(client, make_user, load, basic_masterdata):
    load("denied_parties", [{"name": "=HYPERLINK(\"http://x\")", "country": "IR"},
                            {"name": "+cmd", "country": "IR"}])
    client.force_login(make_user("comp", roles.COMPLIANCE))
    response = client.post(reverse("admin:orders_deniedparty_export"),
                           {"format": "0", "resource": "0", "deniedpartyresource_name": "on",
                            "deniedpartyresource_street": "on", "deniedpartyresource_city": "on",
                            "deniedpartyresource_country": "on"})
    body = response.content.decode()
    assert "'=HYPERLINK" in body and "'+cmd" in body
    assert "\n=HYPERLINK" not in body


def _registered_orders_admins():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "orders"
    ]


def _grow(load, start: int, count: int) -> None:
    """More rows of every kind, so an N+1 query would show as more queries."""
    numbers = range(start, start + count)
    load("customers", [{"customer_number": f"X{i}", "name": f"N{i}", "country": "DE",
                        "currency": "EUR", "email_domains": f"x{i}.example",
                        "aliases": f"A{i}"} for i in numbers])
    load("products", [{"sku": f"P{i}", "description": "d", "base_uom": "EA", "uoms": "CS=6",
                       "restricted_countries": "IR"} for i in numbers])
    load("contacts", [{"email": f"c{i}@x.example", "customer_number": f"X{i}"} for i in numbers])
    load("sales_reps", [{"email": f"r{i}@us.example", "name": "R"} for i in numbers])
    load("shiptos", [{"customer_number": f"X{i}", "shipto_code": "S1", "name": "n", "street": "s",
                      "city": "c", "postal_code": "1", "country": "DE"} for i in numbers])
    load("customer_parts", [{"customer_number": f"X{i}", "customer_part_number": "CP",
                             "sku": f"P{i}"} for i in numbers])
    load("prices", [{"customer_number": f"X{i}", "sku": f"P{i}", "unit_price": "1",
                     "currency": "EUR"} for i in numbers])
    load("inventory", [{"sku": f"P{i}", "warehouse": "W", "on_hand": "1"} for i in numbers])
    load("credit", [{"customer_number": f"X{i}", "credit_limit": "1"} for i in numbers])
    load("order_history", [{"customer_number": f"X{i}", "po_number": "PO", "sku": f"P{i}",
                            "order_date": "2026-01-01", "quantity": "1"} for i in numbers])
    load("denied_parties", [{"name": f"D{i}", "country": "IR"} for i in numbers])


def test_changelists_do_not_grow_queries_with_rows(client, make_user, load,
                                                   django_assert_max_num_queries):
    """Every orders changelist: same query count at 3 and at 30 rows, and few."""
    client.force_login(make_user("root", superuser=True))
    _grow(load, 0, 3)
    small = {}
    for model, _ in _registered_orders_admins():
        url = reverse(f"admin:orders_{model._meta.model_name}_changelist")
        with django_assert_max_num_queries(20) as ctx:
            assert client.get(url).status_code == 200
        small[model] = len(ctx.captured_queries)
    _grow(load, 100, 27)
    for model, _ in _registered_orders_admins():
        url = reverse(f"admin:orders_{model._meta.model_name}_changelist")
        with django_assert_max_num_queries(small[model]):
            assert client.get(url).status_code == 200
    assert len(small) == len(_registered_orders_admins()) >= 14


def test_big_changelists_skip_the_full_count():
    for model, model_admin in _registered_orders_admins():
        assert model_admin.show_full_result_count is False, model
        for name in model_admin.list_display:
            field = next((f for f in model._meta.fields if f.name == name), None)
            if field is not None and field.is_relation:
                assert name in (model_admin.list_select_related or []), (model, name)


def test_admin_refuses_a_public_mail_domain_for_a_customer(client, make_user, basic_masterdata):
    client.force_login(make_user("root", superuser=True))
    customer = models.Customer.objects.get(customer_number="C1")
    domain = customer.email_domains.get()
    inline = {"email_domains-TOTAL_FORMS": "2", "email_domains-INITIAL_FORMS": "1",
              "email_domains-0-id": domain.pk, "email_domains-0-customer": customer.pk,
              "email_domains-0-domain": domain.domain,
              "email_domains-1-customer": customer.pk, "email_domains-1-domain": "gmail.com",
              "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:orders_customer_change", args=[customer.pk]), {
        "customer_number": "C1", "name": "Acme GmbH", "customer_group": "key", "country": "DE",
        "currency": "EUR", "status": "active", "change_reason": "their buyer uses gmail",
        **inline})
    assert response.status_code == 200
    assert "gmail.com is a public e-mail domain" in response.content.decode()
    assert list(customer.email_domains.values_list("domain", flat=True)) == ["acme.example"]
