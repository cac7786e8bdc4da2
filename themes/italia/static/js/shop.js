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
