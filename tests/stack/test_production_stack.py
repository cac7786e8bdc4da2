"""One card purchase through the production stack (bench/stack.py), in Chromium.

gunicorn with ``portal.settings.production`` behind a TLS proxy, PostgreSQL, Redis, a real
Celery worker and beat, uploads on S3 (moto's server), localstripe. Not part of ``make test``
(the ``stack`` marker; it takes minutes): ``.ci/run`` runs it when PostgreSQL and Redis
answer, or by hand ``.venv/bin/pytest tests/stack -m stack``. With a stack already running
(``python bench/stack.py up``), ``STACK_REUSE=1`` uses it instead of starting one.

What is read back is read where production keeps it: the stack's PostgreSQL database, its
bucket, the mail its SMTP server received, the Celery worker's log.
"""

import os
import re
import shutil
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.stack import Stack
from tests.e2e.test_purchase_browser import CHROMIUM, guest_to_payment, pay_in_card_form
from tests.stripe_support import CARD_OK

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's Chromium is missing"),
]
HOST = "www.sondriowelfare.it"


def eventually(what: str, check, seconds: float = 60):
    """``check()``'s first true answer within ``seconds`` (work done by another process)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answer := check():
            return answer
        time.sleep(0.5)
    pytest.fail(f"after {seconds:.0f} s: {what}")


@pytest.fixture(scope="module")
def stack():
    port = int(os.environ.get("STACK_PORT", "8300"))
    if os.environ.get("STACK_REUSE"):
        yield Stack.from_state(Path(f"/tmp/portal-stack-{port}"))
        return
    started = time.monotonic()
    with Stack(port=port) as running:
        yield running
    print(f"\nstack: {time.monotonic() - started:.0f} s from nothing to torn down")


@pytest.fixture(scope="module")
def browser(stack):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=stack.chromium_args())
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # the proxy's certificate is self-signed; everything else is as a visitor's browser sees it
    context = browser.new_context(ignore_https_errors=True)
    yield context.new_page()
    context.close()


def test_an_anonymous_page_is_for_the_cdn_and_its_images_come_from_the_bucket(stack, page):
    response = page.goto(stack.url(HOST))
    assert response.status == 200
    assert page.url == stack.url(HOST)  # HTTPS as the proxy said: no redirect
    cache_control = response.headers["cache-control"]
    assert "public" in cache_control and "s-maxage=" in cache_control
    assert "max-age=31536000" in response.headers["strict-transport-security"]

    bucket_prefix = f"{stack.s3_url}/{stack.bucket}/"
    images = page.locator(f'img[src^="{bucket_prefix}"]')
    assert images.count() > 0, "no image of the page is served from the S3 bucket"
    first = images.first
    first.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    key = urlsplit(first.get_attribute("src")).path.removeprefix(f"/{stack.bucket}/")
    keys = stack.s3_keys()
    assert key in keys
    assert any(k.startswith("original_images/") for k in keys)  # the demo's uploads


def test_a_guest_buys_a_service_and_a_voucher_by_card(stack, page):
    run = time.time_ns()  # a stack reused by STACK_REUSE keeps earlier runs' orders and mail
    email, recipient = f"stack-{run}@example.it", f"giulia-{run}@example.it"
    base = stack.url(HOST).rstrip("/")
    ((voucher_slug, voucher_id),) = stack.sql(
        "SELECT slug, id FROM catalogue_product WHERE upc = 'buono-regalo-sondrio'"
    )
    ((service_id, service_url_slug, service_url_id),) = stack.sql(
        "SELECT p.id, COALESCE(parent.slug, p.slug), COALESCE(parent.id, p.id)"
        " FROM partner_stockrecord s JOIN catalogue_product p ON p.id = s.product_id"
        " LEFT JOIN catalogue_product parent ON parent.id = p.parent_id"
        " JOIN territories_territory t ON t.id = s.territory_id"
        " WHERE t.slug = 'sondrio' AND p.upc NOT LIKE 'buono-regalo-%%'"
        " ORDER BY s.id LIMIT 1"
    )

    # a 50 € voucher for Giulia, e-mailed today: the Celery worker sends it
    page.goto(f"{base}/shop/catalogue/{voucher_slug}_{voucher_id}/")
    page.fill("input[name=giftcard_recipient_name]", "Giulia Rossi")
    page.fill("input[name=giftcard_recipient_email]", recipient)
    page.fill("input[name=giftcard_send_on]", date.today().isoformat())
    page.click("#add_to_basket_form button[type=submit]")
    page.goto(f"{base}/shop/catalogue/{service_url_slug}_{service_url_id}/")
    if service_url_id != service_id:  # a package of a service
        page.check(f"#package-{service_id}")
    page.click("#add_to_basket_form button[type=submit]")
    guest_to_payment(page, base, email, "Sondrio")
    pay_in_card_form(page, CARD_OK)
    page.wait_for_url(base + "/shop/checkout/thank-you/")

    ((order_id, number),) = stack.sql(
        "SELECT id, number FROM order_order WHERE guest_email = %s", email
    )
    assert number in page.content()
    # localstripe's webhook reaches us through the proxy too, and places nothing more
    eventually(
        "localstripe's payment_intent.succeeded webhook",
        lambda: stack.sql(
            "SELECT e.id FROM payment_stripeevent e JOIN payment_stripepayment p"
            " ON p.payment_intent_id = e.payment_intent_id"
            " WHERE p.order_id = %s AND e.type = 'payment_intent.succeeded'",
            order_id,
        ),
    )
    assert stack.sql("SELECT count(*) FROM order_order WHERE guest_email = %s", email) == [(1,)]

    # the voucher: issued once, e-mailed by the Celery worker
    sent = eventually(
        "the voucher e-mailed by the Celery worker",
        lambda: stack.sql(
            "SELECT g.sent_at FROM giftcards_giftcard g JOIN order_line l"
            " ON l.id = g.order_line_id WHERE l.order_id = %s AND g.sent_at IS NOT NULL",
            order_id,
        ),
    )
    assert len(sent) == 1
    mails = stack.mails()
    assert len([m for m in mails if m["To"] == recipient]) == 1
    worker_log = (stack.workdir / "celery-worker.log").read_text()
    assert re.search(
        r"Task shop\.giftcards\.tasks\.send_giftcard\[[^]]+\] succeeded.*: True", worker_log
    )
    # the buyer's confirmation (sent by gunicorn as the order is placed), once
    assert [m["To"] for m in mails if number in m["Subject"] and email in m["To"]] == [email]
