// The Bootstrap Italia modules the italia theme's templates use, and no others: its full
// bundle is about 1 MB, mostly unused. `make assets` bundles this file with esbuild into
// /static/bundle/italia.js (themes/build_assets.mjs). A template that starts using another
// component (data-bs-toggle="dropdown", a modal…) imports its module here.
// Each module registers its own data-API handlers when it loads; naming them on
// window.bootstrap keeps them in the bundle (the package declares them free of side effects)
// and lets a page script reach them as it did with the full bundle.
import init from "bootstrap-italia/dist/plugins/init.js"; // focus ring for the keyboard only
import Alert from "bootstrap-italia/dist/plugins/alert.js"; // data-bs-dismiss="alert": messages
import Input from "bootstrap-italia/dist/plugins/input.js"; // .form-group labels that move aside
import NavBarCollapsible from "bootstrap-italia/dist/plugins/navbar-collapsible.js"; // mobile menu

window.bootstrap = Object.assign(window.bootstrap || {}, { init, Alert, Input, NavBarCollapsible });
