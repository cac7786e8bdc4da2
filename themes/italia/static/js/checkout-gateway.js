// The checkout's e-mail step (a file: the Content-Security-Policy runs no inline script).
jQuery(function () {
    oscar.checkout.gateway.init();
});
