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
    $(function () {
        oscar.init();
        // the basket page's forms (Oscar's basket.html starts them inline)
        if ($('#basket_formset').length) {
            oscar.basket.init({basketURL: script.dataset.basketUrl});
        }
        if ($('.notifications, #notifications').length && oscar.notifications) {
            oscar.notifications.init();
        }
    });
})(jQuery, document.currentScript);
