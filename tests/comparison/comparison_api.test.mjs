// The comparison page in API mode against a live local API (tests/comparison/
// test_comparison_api_e2e.py starts it and runs a real comparison on tiny models): the page
// the API serves at /playground/comparison/ reads the comparison with the playground's stored
// key, shows the grid with the API's image URLs, and a "best" click POSTs the rater's picks;
// the human win rate the server computes is shown. Env: VITRINE_BASE_URL, VITRINE_API_KEY,
// COMPARISON_ID, PICK_MODEL, CHROMIUM, COMPARISON_SCREENSHOT.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--disable-sync",
];
const base = process.env.VITRINE_BASE_URL;
const id = process.env.COMPARISON_ID;
const model = process.env.PICK_MODEL;

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: FLAGS });
});
after(async () => {
  await browser?.close();
});

test("click best → POST ratings → the server's human win rate is shown", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1200 } });
  const page = await context.newPage();
  const posted = [];
  const broken = [];
  page.on("request", (r) => { if (r.method() === "POST") posted.push({ url: r.url(), body: r.postData() }); });
  page.on("response", (r) => { if (r.request().resourceType() === "image" && r.status() !== 200) broken.push(r.url()); });
  // The key as the playground stores it.
  await page.addInitScript((key) => sessionStorage.setItem("vitrine.apiKey", key), process.env.VITRINE_API_KEY);
  await page.goto(`${base}/playground/comparison/?id=${encodeURIComponent(id)}`);
  await page.waitForSelector("#grid tbody tr");
  // Every image the grid shows loads from the API's signed URLs.
  await page.waitForFunction(() => [...document.querySelectorAll("#grid img")].every((i) => i.complete));
  const images = await page.$$eval("#grid td img", (imgs) => imgs.map((i) => [i.src, i.naturalWidth]));
  assert.ok(images.length >= 3, `grid images: ${images.length}`);
  for (const [src, width] of images) {
    assert.ok(src.startsWith(`${base}/v1/files/results/`), src);
    assert.ok(width > 0, `${src} did not load`);
  }
  assert.deepEqual(broken, []);
  await page.fill("#rater", "browser-test");
  await page.check(`#best-0-${model}`);
  await page.waitForSelector("#save-status:has-text('Saved to the API')");
  assert.equal(posted.length, 1);
  assert.equal(posted[0].url, `${base}/v1/comparisons/${id}/ratings`);
  assert.deepEqual(JSON.parse(posted[0].body), { rater: "browser-test", picks: [{ prompt: 0, model }] });
  const rate = await page.textContent(`#summary tbody tr[data-model="${model}"] [data-column="human_win_rate"]`);
  assert.equal(rate.trim(), "100 %");
  if (process.env.COMPARISON_SCREENSHOT) await page.screenshot({ path: process.env.COMPARISON_SCREENSHOT, fullPage: true });
  await context.close();
});
