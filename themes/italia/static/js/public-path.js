// Where Bootstrap Italia finds its fonts: read from this script's data-fonts attribute, so
// that no inline script is needed (the Content-Security-Policy allows none).
window.__PUBLIC_PATH__ = document.currentScript.dataset.fonts;
