// `make assets`: for each theme with an assets/bundle.js, the JavaScript and the CSS its pages
// need, written to static_built/ (served as /static/bundle/; generated, never committed).
//
//   static_built/<theme>.js   assets/bundle.js and the Bootstrap Italia modules it imports
//                             (esbuild, minified): not the package's 1 MB bundle
//   static_built/shop.js      the script of Oscar's public pages, for every theme
//                             (themes/italia/assets/shop.js): no jQuery, no Oscar's ui.js
//   static_built/charts.js    the charts script of {% chart %} and the Chart.js parts it uses
//                             (portal/territories/assets/charts.js), loaded only by pages
//                             with charts
//   static_built/<theme>.css  Bootstrap Italia's CSS less the rules whose classes appear in no
//                             template, Python module or script of the theme's pages (PurgeCSS),
//                             then the @font-face rules of its fonts (woff2, font-display: swap)
//
// Usage: node themes/build_assets.mjs OSCAR_TEMPLATES_DIR
import { readdirSync, readFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { PurgeCSS } from "purgecss";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static_built");
const oscarTemplates = process.argv[2];
if (!oscarTemplates || !existsSync(oscarTemplates)) {
  console.error("usage: node themes/build_assets.mjs OSCAR_TEMPLATES_DIR (Oscar's templates/ folder)");
  process.exit(2);
}
const bootstrapItalia = join(root, "node_modules", "bootstrap-italia", "dist");

// Classes that templates build from a variable, so that no file spells them out whole.
const SAFELIST = {
  standard: [/^alert-/], // alert_messages.html: alert-{{ message tag }}
  deep: [],
  greedy: [],
};

// The fonts Bootstrap Italia's CSS names, as its own loader (plugins/fonts-loader.js) declares
// them, woff2 only; the URLs are relative to /static/bundle/, rewritten to the hashed names
// by collectstatic's manifest storage.
const FONTS = [
  ["Titillium Web", "Titillium_Web/titillium-web-v10-latin-ext_latin", [
    [300, "normal", "300"], [300, "italic", "300italic"], [400, "normal", "regular"],
    [400, "italic", "italic"], [600, "normal", "600"], [600, "italic", "600italic"],
    [700, "normal", "700"], [700, "italic", "700italic"],
  ]],
  ["Lora", "Lora/lora-v20-latin-ext_latin", [
    [400, "normal", "regular"], [400, "italic", "italic"], [700, "normal", "700"], [700, "italic", "700italic"],
  ]],
  ["Roboto Mono", "Roboto_Mono/roboto-mono-v13-latin-ext_latin", [
    [400, "normal", "regular"], [400, "italic", "italic"], [700, "normal", "700"], [700, "italic", "700italic"],
  ]],
];

function fontFaces() {
  return FONTS.flatMap(([family, stem, faces]) =>
    faces.map(([weight, style, suffix]) =>
      `@font-face{font-family:"${family}";font-style:${style};font-weight:${weight};font-display:swap;` +
      `src:url("../bootstrap-italia/fonts/${stem}-${suffix}.woff2") format("woff2")}`,
    ),
  ).join("\n");
}

// Each family's fallback faces: a local font resized to the web font's footprint
// (themes/fallback_metrics.py computes the overrides into fallback_metrics.json), so that the
// text does not move when the web font swaps in (CLS).
const FALLBACKS = JSON.parse(readFileSync(join(root, "themes", "fallback_metrics.json"), "utf8"));

function fallbackFaces() {
  return FALLBACKS.map((f) =>
    `@font-face{font-family:"${f.family} Fallback";font-style:normal;font-weight:${f.weight};` +
    `src:${f.local.map((name) => `local("${name}")`).join(",")};size-adjust:${f.size_adjust};` +
    `ascent-override:${f.ascent_override};descent-override:${f.descent_override};` +
    `line-gap-override:${f.line_gap_override}}`,
  ).join("\n");
}

// "Titillium Web" in a font-family list, followed by its fallback face.
function withFallbacks(css) {
  const families = [...new Set(FALLBACKS.map((f) => f.family))];
  return css.replace(/(font-family|--bs-[\w-]*font[\w-]*):([^;}]*)/g, (declaration) =>
    families.reduce((text, family) =>
      text.replace(new RegExp(`(["']?)${family}\\1(?!\\s*Fallback)`), `$&,"${family} Fallback"`), declaration),
  );
}

// A theme and the themes it extends (theme.toml's `extends`), nearest first.
function themeChain(name) {
  const chain = [];
  while (name && !chain.includes(name)) {
    chain.push(name);
    const toml = readFileSync(join(root, "themes", name, "theme.toml"), "utf8");
    name = (toml.match(/^extends\s*=\s*"([^"]+)"/m) || [])[1];
  }
  return chain;
}

async function buildTheme(name) {
  const js = join(out, `${name}.js`);
  const result = await esbuild.build({
    entryPoints: [join(root, "themes", name, "assets", "bundle.js")],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2019"],
    outfile: js,
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
  });
  // The pages that use the CSS: the theme chain's templates, the shop's and Oscar's own
  // (the pages no theme overrides), the Python that writes class names (forms, cards), the
  // scripts that add classes at run time (this bundle included), and the demo content.
  const content = [
    ...themeChain(name).map((t) => join(root, "themes", t, "templates", "**", "*.html")),
    join(root, "portal", "**", "*.{html,py}"),
    join(root, "shop", "**", "*.{html,py,js}"),
    join(root, "fixtures", "**", "*"),
    join(root, "themes", "*", "static", "js", "*.js"),
    join(root, "themes", "*", "assets", "*.js"),
    join(oscarTemplates, "oscar", "**", "*.html"),
    join(oscarTemplates, "..", "static", "oscar", "js", "oscar", "*.js"),
    js,
  ];
  const [purged] = await new PurgeCSS().purge({
    content,
    css: [join(bootstrapItalia, "css", "bootstrap-italia.min.css")],
    safelist: SAFELIST,
    fontFace: true, // video.js's icon font (a 20 KB data: URL) goes with the player's rules
    keyframes: true,
    // keep the class names of selectors such as .navbar-expand-lg, .col-md-6 whole
    defaultExtractor: (text) => text.match(/[\w-/:%.]+(?<!:)/g) || [],
  });
  const css = join(out, `${name}.css`);
  writeFileSync(css, `${withFallbacks(purged.css)}\n${fontFaces()}\n${fallbackFaces()}\n`);
  const size = (f) => `${(readFileSync(f).length / 1024).toFixed(0)} KB`;
  console.log(`static_built/${name}.js ${size(js)}, static_built/${name}.css ${size(css)}` +
    ` (${Object.keys(result.metafile.inputs).length} modules)`);
}

// A script of its own for every theme: the charts of dashboards and transparency pages, loaded
// (deferred) only by the pages that draw a chart; the shop's, only by Oscar's public pages.
async function buildScript(name, entry) {
  const js = join(out, `${name}.js`);
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2019"],
    outfile: js,
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
  });
  console.log(`static_built/${name}.js ${(readFileSync(js).length / 1024).toFixed(0)} KB` +
    ` (${Object.keys(result.metafile.inputs).length} modules)`);
}

mkdirSync(out, { recursive: true });
await buildScript("charts", join(root, "portal", "territories", "assets", "charts.js"));
await buildScript("shop", join(root, "themes", "italia", "assets", "shop.js"));
const themes = readdirSync(join(root, "themes")).filter((t) => existsSync(join(root, "themes", t, "assets", "bundle.js")));
for (const name of themes.sort()) await buildTheme(name);
