// Borgo's phone menu is a Bootstrap collapse, which has no Escape key: Escape closes the open
// menu and gives focus back to its button (WCAG 2.1.2, and what the italia theme's menu does).
document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
        return;
    }
    var toggle = document.querySelector(".borgo-menu-toggle[aria-expanded='true']");
    if (!toggle) {
        return;
    }
    var menu = document.querySelector(toggle.getAttribute("data-bs-target"));
    if (!menu || !(menu.contains(event.target) || toggle === event.target)) {
        return;
    }
    bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
    toggle.focus();
});
