// The shop's start-up, a file so that the Content-Security-Policy needs no inline script.
// Messages added over AJAX (basket updates) appear as Bootstrap Italia alerts, like
// alert_messages.html; the close button's label comes from #messages' data-close-label.
(function ($, script) {
    oscar.messages.addMessage = function (tag, msg) {
        var $messages = $('#messages');
        var $alert = $('<div class="alert alert-dismissible fade show" role="status"></div>')
            .addClass('alert-' + tag).html(msg);
        $alert.append($('<button type="button" class="btn-close" data-bs-dismiss="alert"></button>')
            .attr('aria-label', $messages.data('close-label') || ''));
        $messages.append($alert);
    };
    // The catalogue's search and filters (browse.html): open in the sidebar of a wide
    // screen, folded before the cards on a phone until the visitor opens them.
    var filters = document.getElementById('portal-filters');
    if (filters) {
        var wide = window.matchMedia('(min-width: 992px)');
        filters.open = wide.matches;
        wide.addEventListener('change', function () { filters.open = wide.matches; });
    }
    // Oscar's tables (the account's profile, orders, addresses) are wider than a phone in
    // German: each scrolls sideways in its own box, never the page (WCAG 1.4.10), and a box
    // that does scroll takes the keyboard focus, named after the table's heading.
    document.querySelectorAll('main table').forEach(function (table) {
        if (table.closest('.table-responsive')) {
            return;
        }
        var box = document.createElement('div');
        box.className = 'table-responsive portal-table-scroll';
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
        if (box.scrollWidth > box.clientWidth) {
            var caption = table.querySelector('caption');
            var heading = caption || box.previousElementSibling;
            while (heading && !/^(H[1-6]|CAPTION)$/.test(heading.tagName)) {
                heading = heading.previousElementSibling;
            }
            heading = heading || document.querySelector('main h1');
            box.tabIndex = 0;
            box.setAttribute('role', 'region');
            box.setAttribute('aria-label', heading ? heading.textContent.trim() : document.title);
        }
    });
    $(function () {
        oscar.init();
        // the basket page's forms (Oscar's basket.html starts them inline)
        if ($('#basket_formset').length) {
            oscar.basket.init({basketURL: script.dataset.basketUrl});
        }
        // the thank-you page's print button (Oscar's has an onclick="", which the CSP refuses)
        $('button[data-behaviours~="print"]').on('click', function () {
            window.print();
        });
        if ($('.notifications, #notifications').length && oscar.notifications) {
            oscar.notifications.init();
        }
    });
})(jQuery, document.currentScript);
