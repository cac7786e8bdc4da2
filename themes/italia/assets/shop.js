// The script of Oscar's public pages (catalogue, product, basket, checkout, account), for every
// theme, in place of Oscar's jQuery (90 KB) and oscar/js/oscar/ui.js: only what those pages
// use. `make assets` bundles it into /static/bundle/shop.js (themes/build_assets.mjs); a file,
// so that the Content-Security-Policy needs no inline script. Every form also works without it:
// the basket's Remove, Save for later and Move to basket are submit buttons of their formset.
// Oscar's dashboard keeps Oscar's own scripts (its layout is Oscar's).

function ready(start) {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}

// A button with data-loading-text says so and is disabled once its form is sent (Oscar's
// oscar.forms): a second click would add the service twice. Disabled on the next tick, so
// that the browser still sends the button's own name and value.
function loadingButtons() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches('[data-behaviours~="lock"]')) {
      if (form.dataset.locked) {
        event.preventDefault();
        return;
      }
      form.dataset.locked = "1";
    }
    const button = event.submitter;
    if (!button || !button.dataset.loadingText || event.defaultPrevented) {
      return;
    }
    setTimeout(() => {
      if (button.tagName === "INPUT") {
        button.value = button.dataset.loadingText;
      } else {
        button.textContent = button.dataset.loadingText;
      }
      button.disabled = true;
    });
  });
}

// The basket's voucher form: folded behind its link until asked for (or the address ends
// in #voucher). portal-js-hidden hides it; an inline display through the CSSOM (which the
// CSP allows) shows it.
function voucherForm() {
  const link = document.getElementById("voucher_form_link");
  const container = document.getElementById("voucher_form_container");
  const cancel = document.getElementById("voucher_form_cancel");
  if (!link || !container) {
    return;
  }
  const show = (open) => {
    container.style.display = open ? "block" : "";
    link.style.display = open ? "none" : "";
    if (open) {
      const code = container.querySelector("input[name=code]");
      if (code) {
        code.focus();
      }
    }
  };
  link.querySelector("a").addEventListener("click", (event) => {
    event.preventDefault();
    show(true);
  });
  if (cancel) {
    cancel.addEventListener("click", (event) => {
      event.preventDefault();
      show(false);
      link.querySelector("a").focus();
    });
  }
  if (window.location.hash === "#voucher") {
    show(true);
  }
}

// The checkout's e-mail step: the password field is enabled only for "I have an account"
// (Oscar's oscar.checkout.gateway, without moving the focus on load: the first Tab would skip
// the skip link and the header, WCAG 2.4.3).
function checkoutGateway() {
  const options = document.querySelectorAll("form input[name=options]");
  const password = document.getElementById("id_password");
  if (!options.length || !password) {
    return;
  }
  const update = () => {
    const chosen = document.querySelector("form input[name=options]:checked");
    password.disabled = !!chosen && (chosen.value === "anonymous" || chosen.value === "new");
  };
  options.forEach((option) => option.addEventListener("change", update));
  update();
}

// The account's notifications: Archive and Delete tick their row and press the form's button.
function notifications() {
  document.querySelectorAll('a[data-behaviours~="archive"], a[data-behaviours~="delete"]').forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const action = link.dataset.behaviours.includes("archive") ? "archive" : "delete";
      const row = link.closest("tr");
      row.querySelectorAll("input[type=checkbox]").forEach((box) => {
        box.checked = true;
      });
      const button = link.closest("form").querySelector(`button[value="${action}"]`);
      if (button) {
        button.click();
      }
    });
  });
}

// The account's wish lists: the share link is copied, not followed.
function wishlists() {
  document.querySelectorAll(".clipboard-item").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      navigator.clipboard.writeText(link.href);
    });
  });
}

// Oscar's search: a new sort order reloads the results.
function sortWidget() {
  const sort = document.getElementById("id_sort_by");
  if (sort && sort.form) {
    sort.addEventListener("change", () => sort.form.submit());
  }
}

// The thank-you page's print button (Oscar's has an onclick="", which the CSP refuses).
function printButtons() {
  document.querySelectorAll('button[data-behaviours~="print"]').forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
}

// The catalogue's search and filters (browse.html): open in the sidebar of a wide screen,
// folded before the cards on a phone until the visitor opens them.
function filters() {
  const box = document.getElementById("portal-filters");
  if (!box) {
    return;
  }
  const wide = window.matchMedia("(min-width: 992px)");
  box.open = wide.matches;
  wide.addEventListener("change", () => {
    box.open = wide.matches;
  });
}

// Oscar's tables (the account's profile, orders, addresses) are wider than a phone in German:
// each scrolls sideways in its own box, never the page (WCAG 1.4.10), and a box that does
// scroll takes the keyboard focus, named after the table's heading.
function scrollingTables() {
  document.querySelectorAll("main table").forEach((table) => {
    if (table.closest(".table-responsive")) {
      return;
    }
    const box = document.createElement("div");
    box.className = "table-responsive portal-table-scroll";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    if (box.scrollWidth > box.clientWidth) {
      let heading = table.querySelector("caption") || box.previousElementSibling;
      while (heading && !/^(H[1-6]|CAPTION)$/.test(heading.tagName)) {
        heading = heading.previousElementSibling;
      }
      heading = heading || document.querySelector("main h1");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
    }
  });
}

loadingButtons();
ready(() => {
  filters();
  scrollingTables();
  voucherForm();
  checkoutGateway();
  notifications();
  wishlists();
  sortWidget();
  printButtons();
});
