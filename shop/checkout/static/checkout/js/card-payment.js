/*
 * The payment page's card form (themes/italia/templates/oscar/checkout/payment_details.html).
 * The same on Stripe and on localstripe: Card Element → our SetupIntent → confirmCardSetup →
 * our PaymentIntent → (3-D Secure: confirmCardPayment) → our return page. Messages come
 * translated from the form's data-message-* attributes; errors go to the role="alert" box.
 */
(function () {
  "use strict";
  var form = document.getElementById("card-payment-form");
  if (!form || typeof Stripe === "undefined") { return; }
  var data = form.dataset;
  var stripe = Stripe(data.stripeKey);
  var elements = stripe.elements({ locale: document.documentElement.lang || "it" });
  var card = elements.create("card", { hidePostalCode: false });
  var errors = document.getElementById("card-errors");
  var status = document.getElementById("card-status");
  var button = document.getElementById("card-submit");

  card.mount("#card-element");
  button.disabled = false;

  function showError(message) {
    errors.textContent = message;
    errors.classList.remove("d-none");
    status.textContent = "";
    button.disabled = false;
    errors.focus && errors.setAttribute("tabindex", "-1");
    errors.focus();
  }

  function clearError() {
    errors.textContent = "";
    errors.classList.add("d-none");
  }

  function post(url, fields) {
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
      body: new URLSearchParams(fields || {})
    }).then(function (response) {
      return response.json().catch(function () { return { error: data.messageUnavailable }; });
    }, function () { return { error: data.messageUnavailable }; });
  }

  function setupError(error) {
    if (error && error.code === "card_declined") { return data.messageDeclined; }
    if (error && error.type === "validation_error" && error.message) { return error.message; }
    if (error && /authentication/i.test(error.message || "")) { return data.messageAuthentication; }
    return data.messageNotsetup;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    clearError();
    button.disabled = true;
    status.textContent = data.messageProcessing;

    var setup = await post(data.setupUrl);
    if (setup.error) { return showError(setup.error); }

    var result = await stripe.confirmCardSetup(setup.client_secret, { payment_method: { card: card } });
    if (!result || result.error || !result.setupIntent) { return showError(setupError(result && result.error)); }
    var method = result.setupIntent.payment_method;

    var fields = { payment_method: typeof method === "string" ? method : method.id };
    if (data.wallets !== undefined) { fields.wallets = data.wallets; }  // what the page showed
    if (data.bands !== undefined) { fields.bands = data.bands; }  // the band prices shown
    var payment = await post(data.payUrl, fields);
    if (payment.reload) { window.location.assign(payment.reload); return; }  // prices changed
    if (payment.error) { return showError(payment.error); }
    if (payment.redirect) { window.location.assign(payment.redirect); return; }
    if (payment.requires_action) {
      await stripe.confirmCardPayment(payment.client_secret);
    }
    window.location.assign(payment.return_url);
  });
}());
