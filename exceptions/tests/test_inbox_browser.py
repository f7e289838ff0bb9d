"""The exception inbox in a real browser: Playwright driving Debian's chromium.

A customer-service person logs in, opens a queue, corrects a case and
releases it, fixes master data from another case and sees the waiting
siblings released. Screenshots land in artifacts/screenshots/ for people
to look at. `make test` installs chromium (Debian's package); without it
these tests skip and say so.
"""

import json
import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from exceptions.models import Case
from exceptions.tests.test_inbox import purchase_order_pdf
from orders import roles
from orders.models import Order

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

#: CI sets this: there, a missing browser is a failure, not a skip.
REQUIRED = os.environ.get("ORDERDESK_REQUIRE_BROWSER") == "1"

pytestmark = [
    pytest.mark.skipif(not REQUIRED and not shutil.which(CHROMIUM),
                       reason=f"no chromium at {CHROMIUM}: `make test` installs Debian's package"),
    # The live server answers from its own thread and connection, so the data
    # must be committed (transaction=True).
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server is shared by the session and builds its middleware once,
    so plain HTTP (as on a developer's machine) is set before it starts."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def browser_page(live_server, monkeypatch):
    if REQUIRED:
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the test makes between browser steps are plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context(viewport={"width": 1440, "height": 900},
                                      device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def desk(desk_masterdata, make_user, tmp_path):
    user = make_user("carla", roles.CUSTOMER_SERVICE)
    user.first_name, user.last_name = "Carla", "Service"
    user.save()

    def send(name, data, *, suffix="json", sender=""):
        path = tmp_path / f"{name}.{suffix}"
        path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
        args = ["--sender", sender] if sender else []
        call_command("intake", str(path), "--sync", *args, stdout=StringIO())

    for n in range(3):  # a part number Acme uses that the desk does not know yet
        send(f"part{n}", {"sender": "buyer@acme.example", "customer_number": "C1",
                          "po_number": f"ACME-4{n}10", "lines": [
                              {"customer_part_number": "ACME-77", "quantity": str(10 + n)}]})
    send("typo", {"sender": "buyer@beta.example", "customer_number": "C2",
                  "po_number": "BETA-2291", "lines": [{"sku": "SKU-9", "quantity": "2",
                                                       "uom": "CS"}]})
    send("price", {"sender": "buyer@beta.example", "customer_number": "C2",
                   "po_number": "BETA-2292", "lines": [{"sku": "SKU-2", "quantity": "40",
                                                        "unit_price": "1.45"}]})
    send("mail", b"From: Anna Berg <anna@acme.example>\r\nTo: orders@desk.example\r\n"
         b"Subject: Order 55120\r\nMessage-ID: <55120@acme.example>\r\n"
         b"Content-Type: text/plain; charset=utf-8\r\n\r\nHello,\r\n\r\nplease deliver:\r\n"
         b"10 x SKU-1\r\n4 x SKU-404\r\n\r\nPO number: 55120\r\n"
         b"Please deliver to our new warehouse in Bonn instead.\r\n\r\nKind regards\r\nAnna\r\n",
         suffix="eml")
    send("scan", purchase_order_pdf(), suffix="pdf", sender="buyer@acme.example")
    return user


def test_customer_service_corrects_fixes_and_sees_siblings_released(live_server, browser_page,
                                                                     desk):
    page = browser_page
    page.goto(f"{live_server.url}/inbox/")
    page.screenshot(path=SHOTS / "01-login.png")
    page.fill("#id_username", "carla")
    page.fill("#id_password", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_selector("table#cases")
    page.screenshot(path=SHOTS / "02-my-queue.png", full_page=True)
    assert "My queue" in page.inner_text("h1")
    assert page.locator("table#cases tbody tr").count() == Case.objects.filter(
        is_open=True).exclude(owners=["Finance"]).count()

    # Keyboard: j moves down, Enter opens; the queue narrows by cause.
    page.click("text=Unknown product")
    page.wait_for_selector("h1:has-text('Unknown product')")
    page.screenshot(path=SHOTS / "03-queue-by-cause.png", full_page=True)
    rows = page.locator("table#cases tbody tr")
    assert rows.count() == 5

    # Correct a typo'd SKU and release.
    page.fill("#search", "BETA-2291")
    page.keyboard.press("Enter")
    page.wait_for_selector("table#cases tbody tr >> nth=0")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Why it stopped")
    page.click("summary:has-text('Correct fields')")
    page.fill("input[name=line1_sku]", "SKU-1")
    page.fill("#act-correct input[name=reason]", "SKU-9 is a typo for SKU-1 (checked with buyer)")
    page.screenshot(path=SHOTS / "04-correct.png", full_page=True)
    page.click("#act-correct button[type=submit]")
    page.wait_for_selector(".toast.success")
    assert "every check passes" in page.inner_text(".toast.success")
    page.fill("#act-release input[name=reason]", "corrected SKU, all checks pass")
    page.click("#act-release button[type=submit]")
    page.wait_for_selector(".toast.success:has-text('released and executed')")
    page.screenshot(path=SHOTS / "05-released.png", full_page=True)
    assert Order.objects.get(po_number="BETA-2291").status == Order.State.EXECUTED

    # Fix master data from one ACME-77 case; its two siblings are released with it.
    page.goto(f"{live_server.url}/inbox/?queue=all&cause=UNKNOWN_PRODUCT")
    page.click("a.po:has-text('ACME-4010')")
    page.wait_for_selector("text=Add a customer part number")
    page.click("summary:has-text('Add a customer part number')")
    form = page.locator("#fix-customer_part form")
    assert form.locator("input[name='customer_part-customer_part_number']").input_value() == "ACME-77"
    form.locator("input[name='customer_part-sku']").fill("SKU-2")
    form.locator("input[name='customer_part-reason']").fill("ACME-77 is our SKU-2 (their catalogue)")
    page.screenshot(path=SHOTS / "06-fix-master-data.png", full_page=True)
    form.locator("button[type=submit]").click()
    toast = page.wait_for_selector(".toast.success")
    assert "2 released" in toast.inner_text()
    page.screenshot(path=SHOTS / "07-siblings-released.png", full_page=True)
    assert set(Order.objects.filter(po_number__startswith="ACME-4").values_list(
        "status", flat=True)) == {Order.State.EXECUTED}

    # The queue is shorter now, and the documents show their evidence.
    page.goto(f"{live_server.url}/inbox/?queue=all")
    page.screenshot(path=SHOTS / "08-all-open.png", full_page=True)
    page.click("a.po:has-text('55120')")
    page.wait_for_selector("ol.text-source li.marked")
    page.hover("[data-field='po_number']")
    page.screenshot(path=SHOTS / "09-mail-evidence.png", full_page=True)
    pdf_case = Case.objects.get(order__format="pdf")
    page.goto(f"{live_server.url}/inbox/case/{pdf_case.pk}/")
    page.wait_for_selector("figure.pdf-page img")
    page.wait_for_function("document.querySelector('figure.pdf-page img').naturalWidth > 0")
    page.screenshot(path=SHOTS / "10-pdf-evidence.png", full_page=True)

    # The dashboard counts what just happened: touchless orders and the person's work.
    page.click("nav.mainnav a:has-text('Dashboard')")
    page.wait_for_selector("section.kpis")
    page.screenshot(path=SHOTS / "11-dashboard.png", full_page=True)
    assert "Carla Service" in page.inner_text("#people")
    assert page.locator("svg.chart").count() >= 5
