// The dashboard's Today page load in a real browser (Debian's Chromium headless, driven by the
// repository's playwright-core, as tests/browser/run.mjs does): signs in once with a password,
// then loads the page LOADS times and prints the median and the slowest, in ms, of the time from
// navigation to the first page of every list of the page rendered (no section still
// "Loading…"; "Show more" is not part of the load).
//
// usage: node tests/bench/today_browser.mjs BASE_URL EMAIL PASSWORD [LOADS]
// (the password comes from the kit, which creates the paralegal it signs in as)
import { chromium } from "playwright-core";

const [base, email, password, loadsText] = process.argv.slice(2);
const loads = Number(loadsText || 5);
const browser = await chromium.launch({ executablePath: process.env.PAROLETRACK_CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();

// Resolves once the Today page shows all its sections and none is still loading.
const rendered = () => page.waitForFunction(() => {
  const bodies = document.querySelectorAll(".today-grid .section-body");
  return bodies.length >= 6 && ![...bodies].some((b) => b.querySelector(".state-loading"));
}, null, { timeout: 300000, polling: 20 });

try {
  await page.goto(base + "/");
  await page.locator("#email").waitFor();
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("#sign-in-form button[type=submit]");
  await page.locator("#sign-in").waitFor({ state: "hidden" });
  await rendered(); // the first load warms the server and the browser cache
  const times = [];
  for (let i = 0; i < loads; i++) {
    await page.goto("about:blank");
    const start = performance.now();
    await page.goto(base + "/#/today");
    await rendered();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${Math.round(times[Math.floor(times.length / 2)])} ${Math.round(times[times.length - 1])}`);
} finally {
  await browser.close();
}
