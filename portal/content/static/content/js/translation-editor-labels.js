// wagtail-localize's translation editor is a compiled React bundle that writes the label of
// its actions menu toggle ("More actions", read by screen readers) as plain English, outside
// gettext. Relabel it through the admin's JavaScript catalog (Wagtail's own translates the
// same words: "Altre azioni", "Mehr Aktionen"), also whenever React renders the menu again.
(function () {
    "use strict";
    var UNTRANSLATED = ["More actions"];

    function relabel(root) {
        root.querySelectorAll(".w-dropdown__toggle .w-sr-only").forEach(function (label) {
            var text = label.textContent.trim();
            if (UNTRANSLATED.indexOf(text) !== -1 && gettext(text) !== text) {
                label.textContent = gettext(text);
            }
        });
    }

    function watch() {
        var editor = document.querySelector(".js-translation-editor");
        if (!editor || typeof gettext !== "function") {
            return;
        }
        relabel(editor);
        new MutationObserver(function () {
            relabel(editor);
        }).observe(editor, { childList: true, subtree: true });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", watch);
    } else {
        watch();
    }
})();
