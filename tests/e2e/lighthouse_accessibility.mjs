// Lighthouse's accessibility category on a list of pages, in one headless Chromium.
//
//   node tests/e2e/lighthouse_accessibility.mjs pages.json
//
// pages.json: [{"url": "...", "cookie": "sessionid=..." (optional)}, ...]. Prints one JSON
// object: url -> {score, failing: [{id, title, items}]}, where failing lists every audit of
// the category whose score is 0 (Lighthouse's binary audits pass with 1; manual and
// not-applicable ones have no score).
import { readFileSync } from "node:fs";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const pages = JSON.parse(readFileSync(process.argv[2], "utf8"));
const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
const results = {};
try {
    for (const { url, cookie } of pages) {
        const flags = {
            port: chrome.port,
            output: "json",
            logLevel: "error",
            onlyCategories: ["accessibility"],
            extraHeaders: cookie ? { Cookie: cookie } : undefined,
            // a session page (the checkout) must be read as it is: no reload with cleared storage
            disableStorageReset: Boolean(cookie),
            // The category reads the DOM once the page has settled. Lighthouse's waits are tuned
            // for its performance metrics (1 s of quiet network and CPU after load, then a 1 s
            // pause); a quarter of that still waits for our scripts (they run on load), and the
            // full-page screenshot and the about:blank step serve only its HTML report.
            pauseAfterFcpMs: 250,
            pauseAfterLoadMs: 250,
            networkQuietThresholdMs: 250,
            cpuQuietThresholdMs: 250,
            disableFullPageScreenshot: true,
            skipAboutBlank: true,
        };
        const { lhr } = await lighthouse(url, flags);
        if (lhr.runtimeError) {
            results[url] = { error: lhr.runtimeError.message };
            continue;
        }
        const category = lhr.categories.accessibility;
        const failing = category.auditRefs
            .map((ref) => lhr.audits[ref.id])
            .filter((audit) => audit.score === 0)
            .map((audit) => ({
                id: audit.id,
                title: audit.title,
                items: (audit.details?.items || [])
                    .slice(0, 3)
                    .map((item) => item.node?.selector || item.node?.snippet || ""),
            }));
        results[url] = { score: category.score, failing };
    }
} finally {
    await chrome.kill();
}
process.stdout.write(JSON.stringify(results));
