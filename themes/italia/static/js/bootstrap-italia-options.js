// Read by Bootstrap Italia's bundle as it loads, so this file comes first. Its video player
// (video.js) writes its default sizes into an inline <style>, which the Content-Security-Policy
// refuses (style-src 'self'): this asks it not to (no page of ours has a video player). The
// fonts are a stylesheet (italia/css/fonts.css), not the bundle's loadFonts(), for the same reason.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
