// Borgo's Bootstrap Italia modules (see themes/italia/assets/bundle.js): its header opens the
// menu with Bootstrap's Collapse (data-bs-toggle="collapse"), not with italia's navbar.
import init from "bootstrap-italia/dist/plugins/init.js"; // focus ring for the keyboard only
import Alert from "bootstrap-italia/dist/plugins/alert.js"; // data-bs-dismiss="alert": messages
import Collapse from "bootstrap-italia/dist/plugins/collapse.js"; // the mobile menu
import Input from "bootstrap-italia/dist/plugins/input.js"; // .form-group labels that move aside

window.bootstrap = Object.assign(window.bootstrap || {}, { init, Alert, Collapse, Input });
