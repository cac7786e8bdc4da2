"""The soak's visitors (locust): 80% CMS pages, 15% catalogue, 5% card checkouts.

Run by ``bench/soak/run.py`` against ``bench/stack.py``'s TLS proxy, which writes the plan this
file reads (``SOAK_PLAN``, JSON): for each portal its host, its CMS pages, its catalogue pages,
the services a guest may buy and its territory's id for the booking step, the localstripe
address and publishable key, and the stack's certificate. Each visitor keeps to one portal, as
a browser on one host would: every request goes to the proxy's HTTPS on loopback with the
portal's ``Host`` (the proxy adds ``X-Forwarded-Proto`` and ``-For``). The session, CSRF and
basket cookies are ``Secure``; requests' jar files them under the ``Host`` header, and each
request carries them (``Visitor.cookies``). A checkout is a new guest: product page, basket
add, the e-mail step, the booking step, the payment page, then the card as Stripe.js would
confirm it against localstripe (tests/stripe_support.py does the same, "Complete
authentication" included when the card asks for 3-D Secure), and our server charges it.
Answers of 500 and above are counted apart (``SOAK_OUT``, JSON, written when locust stops),
as are the checkouts our server answered as paid.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["SOAK_PLAN"]).read())  # noqa: SIM115 (read once)
CARD_OK = "4242424242424242"
COUNTS = {"5xx": 0, "by_status": {}, "checkouts": 0, "paid": [], "checkout_failures": []}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LINE = re.compile(r'name="(line-\d+)-name"')


@events.request.add_listener
def count(request_type, name, response_time, response_length, response=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    COUNTS["by_status"][str(status)] = COUNTS["by_status"].get(str(status), 0) + 1
    if status >= 500:
        COUNTS["5xx"] += 1


@events.quitting.add_listener
def write_counts(environment, **kwargs):
    with open(os.environ["SOAK_OUT"], "w") as out:
        json.dump(COUNTS, out, indent=2)


class Visitor(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.portal = random.choice(PLAN["portals"])
        self.headers = {"Host": self.portal["host"]}
        self.client.verify = PLAN["cert"]  # the stack's self-signed certificate

    def cookies(self) -> dict[str, str]:
        """Every cookie the visitor holds, as its own Cookie header: the jar files them under
        the Host header (the portal), not the URL's loopback address; a visitor keeps to one
        portal, so all of its cookies are that portal's."""
        jar = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
        return {"Cookie": jar} if jar else {}

    def get(self, path: str, name: str, **kwargs):
        return self.client.get(
            path, headers={**self.headers, **self.cookies()}, name=name, **kwargs
        )

    def post(self, path: str, name: str, data: dict, referer: str, **kwargs):
        origin = f"https://{self.portal['host']}"
        headers = {
            **self.headers,
            **self.cookies(),
            "Origin": origin,
            "Referer": origin + referer,
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
        }
        return self.client.post(path, data=data, headers=headers, name=name, **kwargs)

    @task(80)
    def cms_page(self):
        self.get(random.choice(self.portal["cms"]), "CMS page")

    @task(15)
    def catalogue_page(self):
        self.get(random.choice(self.portal["catalogue"]), "catalogue page")

    @task(5)
    def checkout(self):
        """A new guest buys one service by card; the paid intent is remembered."""
        self.client.cookies.clear()
        COUNTS["checkouts"] += 1
        service = random.choice(self.portal["services"])
        product = service["path"]
        page = self.get(product, "checkout: product")
        token = CSRF.search(page.text)
        if page.status_code != 200 or token is None:
            return self.failed("product page without a form")
        added = self.post(
            f"/shop/basket/add/{service['id']}/",
            "checkout: basket add",
            {"csrfmiddlewaretoken": token.group(1), "quantity": 1},
            product,
            allow_redirects=False,
        )
        if added.status_code != 302:
            return self.failed(f"basket add {added.status_code}")
        email = f"soak-{uuid.uuid4().hex[:12]}@example.invalid"
        begun = self.post(
            "/shop/checkout/",
            "checkout: e-mail",
            {"csrfmiddlewaretoken": token.group(1), "username": email, "options": "anonymous"},
            "/shop/basket/",
            allow_redirects=False,
        )
        if begun.headers.get("Location") != "/shop/checkout/booking/":
            return self.failed(f"checkout start {begun.status_code} {begun.headers}")
        booking = self.get("/shop/checkout/booking/", "checkout: booking page")
        data = {"csrfmiddlewaretoken": token.group(1)}
        for prefix in sorted(set(LINE.findall(booking.text))):
            data.update(
                {
                    f"{prefix}-beneficiary": "self",
                    f"{prefix}-name": "Anna Bianchi",
                    f"{prefix}-address": "Via Roma 1",
                    f"{prefix}-municipality": self.portal["municipality"],
                    f"{prefix}-territory": self.portal["territory"],
                    f"{prefix}-phone": "0342 000000",
                }
            )
        booked = self.post(
            "/shop/checkout/booking/",
            "checkout: booking",
            data,
            "/shop/checkout/booking/",
            allow_redirects=False,
        )
        if booked.headers.get("Location") != "/shop/checkout/payment-details/":
            return self.failed(f"booking {booked.status_code} {booked.text[:300]}")
        self.get("/shop/checkout/payment-details/", "checkout: payment page")
        setup = self.post(
            "/shop/checkout/card/setup/",
            "checkout: card setup",
            {},
            "/shop/checkout/payment-details/",
        )
        if setup.status_code != 200:
            return self.failed(f"card setup {setup.status_code} {setup.text[:300]}")
        secret = setup.json()["client_secret"]
        confirmed = self.client.post(
            f"{PLAN['stripe']}/v1/setup_intents/{secret.split('_secret_')[0]}/confirm",
            json={
                "key": PLAN["publishable_key"],
                "use_stripe_sdk": True,
                "client_secret": secret,
                "payment_method_data": {
                    "type": "card",
                    "card": {
                        "number": CARD_OK,
                        "exp_month": "12",
                        "exp_year": "2034",
                        "cvc": "123",
                    },
                },
            },
            name="localstripe: confirm card",
        ).json()
        if confirmed.get("status") == "requires_action":  # 3-D Secure: "Complete authentication"
            confirmed = self.client.post(
                f"{PLAN['stripe']}/v1/setup_intents/{secret.split('_secret_')[0]}/confirm",
                json={"key": PLAN["publishable_key"], "client_secret": secret},
                name="localstripe: 3-D Secure",
            ).json()
        paid = self.post(
            "/shop/checkout/card/pay/",
            "checkout: pay",
            {"payment_method": confirmed.get("payment_method") or "pm_none"},
            "/shop/checkout/payment-details/",
        )
        answer = (
            paid.json()
            if paid.headers.get("Content-Type", "").startswith("application/json")
            else {}
        )
        if paid.status_code == 200 and answer.get("requires_action"):
            intent = answer["client_secret"].split("_secret_")[0]
            self.client.post(
                f"{PLAN['stripe']}/v1/payment_intents/{intent}/_authenticate?success=true",
                json={"key": PLAN["publishable_key"], "client_secret": answer["client_secret"]},
                name="localstripe: 3-D Secure",
            )
            back = self.get(answer["return_url"], "checkout: card return", allow_redirects=False)
            answer = (
                {"redirect": back.headers.get("Location", "")} if back.status_code == 302 else {}
            )
        if paid.status_code != 200 or not answer.get("redirect"):
            return self.failed(f"pay {paid.status_code} {paid.text[:300]}")
        thanks = self.get(answer["redirect"], "checkout: thank-you")
        COUNTS["paid"].append(
            {"portal": self.portal["slug"], "email": email, "thank_you": thanks.status_code}
        )
        return None

    def failed(self, reason: str) -> None:
        COUNTS["checkout_failures"].append(f"{self.portal['slug']}: {reason}"[:500])
