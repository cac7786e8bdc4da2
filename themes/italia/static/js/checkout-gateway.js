// The checkout's e-mail step (a file: the Content-Security-Policy runs no inline script).
// Oscar's oscar.checkout.gateway.init without its last line, which moves focus to the e-mail
// field on load: the first Tab then skipped the "skip to content" link and the whole header,
// and a screen reader started mid-page (WCAG 2.4.3). The password field is still enabled only
// for "I have an account".
jQuery(function () {
    var gateway = oscar.checkout.gateway;
    gateway.handleRadioSelection(jQuery("form input[name=options]:checked").val());
    jQuery("form input[name=options]").change(gateway.handleRadioChange);
});
