// The playground in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core, which never downloads a browser), against a live local server.
// tests/clients/test_playground_browser.py passes VITRINE_BASE_URL, VITRINE_API_KEY,
// VITRINE_TEST_IMAGE and VITRINE_PLAYGROUND_SCREENSHOT.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

const base = process.env.VITRINE_BASE_URL;
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--disable-sync",
];

let browser;
let page;
const failedRequests = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: FLAGS,
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  page.on("requestfailed", (request) => failedRequests.push(request.url()));
  await page.goto(`${base}/playground/`);
  await page.waitForSelector("body[data-ready=true]");
  await page.fill("#api-key", process.env.VITRINE_API_KEY);
  await page.setInputFiles("#photo", process.env.VITRINE_TEST_IMAGE);
  await page.waitForSelector("#upload-status:has-text('Uploaded')");
});

after(async () => {
  await browser?.close();
});

test("the page loads its bundled script, no request leaves the server", async () => {
  assert.equal(await page.title(), "Vitrine playground");
  const scripts = await page.$$eval("script", (all) => all.map((s) => s.src));
  assert.ok(scripts.every((src) => src.startsWith(base)), scripts.join());
  assert.deepEqual(failedRequests, []);
});

test("a segmentation shows one mask overlay per prompt", async () => {
  await page.fill("#prompts", "the shirt, the face");
  await page.click("#segment");
  await page.waitForSelector("#masks li:nth-child(2)");
  assert.equal(await page.locator(".mask-overlay").count(), 2);
  const masks = await page.locator(".mask-overlay").evaluateAll((all) =>
    all.map((el) => getComputedStyle(el).maskImage || getComputedStyle(el).webkitMaskImage));
  assert.ok(masks.every((m) => m.includes("/v1/files/results/")), masks.join());
  assert.match(await page.textContent("#masks"), /the shirt: .* %/);
  assert.equal(await page.locator("#problem").isHidden(), true);
});

test("a try-on reaches succeeded and shows its images", async () => {
  await page.fill("#steps", "2");
  await page.click("#try-on");
  await page.waitForSelector("#try-on-status:text-is('succeeded')", { timeout: 120_000 });
  const images = page.locator("#try-on-results img:not(.mask-used)");
  assert.equal(await images.count(), 1);
  assert.equal(await page.locator("#try-on-results img.mask-used").count(), 1);
  await page.waitForFunction(() =>
    [...document.querySelectorAll("#try-on-results img")].every((i) => i.complete && i.naturalWidth > 0));
});

test("a try-on from a garment photo alone reaches succeeded", async () => {
  await page.setInputFiles("#garment-photo", process.env.VITRINE_TEST_IMAGE);
  await page.waitForSelector("#garment-status:has-text('Garment photo: ')");
  await page.fill("#garment", "");
  await page.click("#try-on");
  await page.waitForSelector("#try-on-status:text-is('succeeded')", { timeout: 120_000 });
  assert.equal(await page.locator("#try-on-results img:not(.mask-used)").count(), 1);
  assert.equal(await page.locator("#problem").isHidden(), true);
});

test("attributes and a description of the product", async () => {
  await page.click("#describe");
  await page.waitForSelector("#description h3");
  assert.ok((await page.locator("#description tr").count()) >= 1);
});

test("the tenant's models are listed", async () => {
  await page.click("#list-models");
  await page.waitForSelector("#models:has-text('No models yet.')");
  // The whole page after a try-on, a segmentation and a description.
  if (process.env.VITRINE_PLAYGROUND_SCREENSHOT) {
    await page.screenshot({ path: process.env.VITRINE_PLAYGROUND_SCREENSHOT, fullPage: true });
  }
});

test("the tenant's comparisons are listed", async () => {
  await page.click("#list-comparisons");
  await page.waitForSelector("#comparisons:has-text('No comparisons yet.')");
});

test("a wrong key shows the 401 problem readably", async () => {
  await page.fill("#api-key", "not-a-key");
  await page.click("#segment");
  await page.waitForSelector("#problem:not([hidden])");
  const text = await page.textContent("#problem");
  assert.match(text, /401 · Missing or invalid credentials/);
  assert.match(text, /send a valid API key/);
  assert.match(text, /problems\/unauthorized/);
});

test("the key is kept for the session only", async () => {
  const stored = await page.evaluate(() => ({
    session: sessionStorage.getItem("vitrine.apiKey"),
    local: Object.keys(localStorage),
    cookies: document.cookie,
  }));
  assert.equal(stored.session, "not-a-key");
  assert.deepEqual(stored.local, []);
  assert.equal(stored.cookies, "");
});
