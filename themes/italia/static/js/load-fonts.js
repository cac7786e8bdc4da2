// Bootstrap Italia's fonts, after its bundle (a file: the Content-Security-Policy runs no inline script).
bootstrap.loadFonts();
