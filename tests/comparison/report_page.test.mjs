// The comparison report page in a real headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core). tests/comparison/test_report_page_browser.py writes a report and passes
// REPORT_HTML (file mode: the written report.html), PAGE_DIR (the report_page folder, served
// as is for API mode) and REPORT_SCREENSHOT.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";

import { chromium } from "playwright-core";

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--disable-sync",
];
const reportUrl = pathToFileURL(process.env.REPORT_HTML).href;

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: FLAGS });
});
after(async () => {
  await browser?.close();
});

/** The summary's text in one column, model by model, in the order shown. */
async function column(page, key) {
  return page.$$eval(`#summary tbody tr`, (rows, k) =>
    rows.map((r) => [r.dataset.model, r.querySelector(`[data-column="${k}"]`).textContent]), key);
}

describe("file mode (a written report.html)", () => {
  let context;
  let page;
  const failed = [];
  before(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 1400 }, acceptDownloads: true });
    page = await context.newPage();
    page.on("requestfailed", (request) => failed.push(request.url()));
    page.on("pageerror", (error) => failed.push(`pageerror: ${error.message}`));
    await page.goto(reportUrl);
    await page.waitForSelector("body[data-ready=true]");
  });
  after(async () => {
    await context?.close();
  });

  test("shows the grid: prompts as rows, models as columns, why a cell has no image", async () => {
    assert.equal(await page.getAttribute("body", "data-mode"), "file");
    assert.equal(await page.locator("#grid tbody tr").count(), 3);
    assert.deepEqual(await page.$$eval("#grid thead th[data-model]", (t) => t.map((h) => h.dataset.model)),
      ["sdxl", "sdxl-product", "nova"]);
    const skipped = page.locator('#grid tr[data-prompt="2"] td[data-model="sdxl-product"]');
    assert.match(await skipped.textContent(), /skipped: no reference image for ControlNet/);
    assert.match(await page.locator('#grid thead th[data-model="nova"]').textContent(),
      /column failed: bedrock: not configured/);
    assert.match(await page.locator('#grid tr[data-prompt="0"] td[data-model="nova"]').textContent(),
      /failed: bedrock: not configured/);
    // five images, all loaded from the report's relative files; nothing else was requested
    await page.waitForFunction(() => [...document.querySelectorAll("#grid td img")]
      .every((i) => i.complete && i.naturalWidth === 64));
    assert.equal(await page.locator("#grid td img").count(), 5);
    // a row's inputs: the reference image (relative file too), the negative prompt
    await page.waitForFunction(() => document.querySelector('#grid tr[data-prompt="0"] th img.reference')?.naturalWidth === 32);
    assert.match(await page.textContent('#grid tr[data-prompt="2"] th'), /negative: blurry/);
    // a cell's figures: fractions of a cent keep their digits
    assert.match(await page.textContent('#grid tr[data-prompt="0"] td[data-model="sdxl"]'),
      /CLIP27\.31model1\.20 swall3\.40 scost\$0\.000505moderationpassed/);
    assert.deepEqual(failed, []);
  });

  test("a prompt is shown as text, never run as markup", async () => {
    const shown = await page.textContent('#grid tr[data-prompt="1"] th');
    assert.match(shown, /<\/script><script>window.__xss = 1<\/script><img src=x onerror=/);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('#grid tr[data-prompt="1"] img').count(), 2);  // its two cells' own
  });

  test("a best pick is saved in localStorage and changes the human win rate", async () => {
    assert.deepEqual(await column(page, "human_win_rate"),
      [["sdxl", "—"], ["sdxl-product", "—"], ["nova", "—"]]);
    await page.check("#best-0-sdxl");
    await page.waitForSelector("#save-status:has-text('Saved in this browser')");
    assert.deepEqual(await column(page, "human_win_rate"),
      [["sdxl", "100 %"], ["sdxl-product", "0 %"], ["nova", "0 %"]]);
    await page.check("#best-1-sdxl-product");
    assert.deepEqual(await column(page, "human_win_rate"),
      [["sdxl", "50 %"], ["sdxl-product", "50 %"], ["nova", "0 %"]]);
    const saved = await page.evaluate(() => {
      const key = window.VitrineReport.STORAGE.picksPrefix + document.getElementById("report-data").dataset.key;
      return JSON.parse(localStorage.getItem(key));
    });
    assert.deepEqual(saved, { 0: "sdxl", 1: "sdxl-product" });
    assert.match(await page.textContent("#picks-count"), /2 of 3 prompts picked/);
    // a reload keeps them
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await page.isChecked("#best-0-sdxl"), true);
    assert.equal(await page.isChecked("#best-1-sdxl-product"), true);
    assert.deepEqual(await column(page, "human_win_rate"),
      [["sdxl", "50 %"], ["sdxl-product", "50 %"], ["nova", "0 %"]]);
    // a CLIP win rate stays beside it
    assert.deepEqual(await column(page, "clip_win_rate"),
      [["sdxl", "50 %"], ["sdxl-product", "50 %"], ["nova", "—"]]);
  });

  test("Download ratings.json gives the ratings contract", async () => {
    await page.fill("#rater", "alice");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-ratings")]);
    assert.equal(download.suggestedFilename(), "ratings.json");
    const body = JSON.parse(await readFile(await download.path(), "utf8"));
    assert.deepEqual(body, {
      rater: "alice",
      picks: [{ prompt: 0, model: "sdxl" }, { prompt: 1, model: "sdxl-product" }],
    });
  });

  test("the summary sorts by any column, and reverses", async () => {
    await page.click('#summary button[data-sort="clip_mean"]');
    assert.equal(await page.getAttribute('#summary th:has(button[data-sort="clip_mean"])', "aria-sort"), "ascending");
    // sdxl-product 25.51 < sdxl 27.94; nova has no score: last either way
    assert.deepEqual((await column(page, "clip_mean")).map(([m]) => m), ["sdxl-product", "sdxl", "nova"]);
    await page.click('#summary button[data-sort="clip_mean"]');
    assert.equal(await page.getAttribute('#summary th:has(button[data-sort="clip_mean"])', "aria-sort"), "descending");
    assert.deepEqual((await column(page, "clip_mean")).map(([m]) => m), ["sdxl", "sdxl-product", "nova"]);
    await page.click('#summary button[data-sort="failed"]');
    assert.deepEqual((await column(page, "failed")).map(([, v]) => v), ["0", "0", "3"]);
    if (process.env.REPORT_SCREENSHOT) await page.screenshot({ path: process.env.REPORT_SCREENSHOT, fullPage: true });
  });
});

describe("API mode (the folder as the API serves it; the API itself is stood in for here)", () => {
  // The real API drives this page in CMPAPI's test; here the page's own side: the stored
  // key, the ?id= request, the ratings body, the server's win rates shown.
  const origin = "http://vitrine.test";
  const requests = [];
  let report;
  let page;
  let context;
  before(async () => {
    report = JSON.parse(await readFile(path.join(path.dirname(process.env.REPORT_HTML), "report.json"), "utf8"));
    for (const cell of report.cells) if (cell.image) cell.image = `${origin}/files/${cell.image}`;
    for (const row of report.prompts) if (row.reference_image) row.reference_image = `${origin}/files/${row.reference_image}`;
    context = await browser.newContext();
    // A page closed mid-request rejects its route's fulfil: only that is let go.
    await context.route(`${origin}/**`, (route) => serve(route).catch((error) => {
      if (!/closed/i.test(String(error))) throw error;
    }));
    page = await context.newPage();
    async function serve(route) {
      const request = route.request();
      const url = new URL(request.url());
      const stage = url.pathname.startsWith("/prod/");  // as API Gateway's stage prefixes it
      if (stage) url.pathname = url.pathname.slice(5);
      requests.push({ stage, method: request.method(), path: url.pathname, key: request.headers()["x-api-key"], body: request.postData() });
      if (url.pathname.startsWith("/playground/comparison/")) {
        const name = url.pathname.endsWith("/") ? "index.html" : path.basename(url.pathname);
        const type = { "index.html": "text/html", "report.html": "text/html", "report.js": "text/javascript", "report.css": "text/css" }[name];
        if (!type) return route.fulfill({ status: 404 });
        return route.fulfill({ path: path.join(process.env.PAGE_DIR, name), contentType: type });
      }
      if (url.pathname.startsWith("/files/")) {
        return route.fulfill({ path: path.join(path.dirname(process.env.REPORT_HTML), url.pathname.slice(7)) });
      }
      if (url.pathname === "/v1/comparisons/cmp_2") {  // running on the first look, then done
        const first = requests.filter((r) => r.path === url.pathname).length === 1;
        const progress = { stage: "generating", done: 3, total: 9, unit: "images" };
        return route.fulfill({ json: first ? { id: "cmp_2", status: "running", progress }
          : { id: "cmp_2", status: "succeeded", result: report } });
      }
      if (url.pathname === "/v1/comparisons/cmp_1" && request.method() === "GET") {
        return route.fulfill({ json: { id: "cmp_1", kind: "comparison", status: "succeeded", result: report } });
      }
      if (url.pathname === "/v1/comparisons/cmp_1/ratings" && request.method() === "POST") {
        const summary = report.summary.map((s) => ({ ...s, human_win_rate: s.model === "sdxl" ? 0.75 : 0.125, human_picks: 1 }));
        // As the API answers: the comparison's view, the summary's human figures updated.
        return route.fulfill({ status: 200, json: { id: "cmp_1", status: "succeeded", result: { ...report, summary } } });
      }
      return route.fulfill({
        status: 404, contentType: "application/problem+json",
        body: JSON.stringify({ type: "https://vitrine.dev/problems/not-found", title: "Not found", status: 404, detail: "no comparison cmp_x" }),
      });
    }
  });
  after(async () => {
    await context?.close();
  });

  test("without a stored key it asks for one, then loads the comparison", async () => {
    await page.goto(`${origin}/playground/comparison/report.html?id=cmp_1`);
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await page.isVisible("#connect"), true);
    await page.fill("#api-key", "k-123");
    await page.click("#connect-button");
    await page.waitForSelector("#grid tbody tr");
    assert.equal(await page.evaluate(() => sessionStorage.getItem(window.VitrineReport.STORAGE.apiKey)), "k-123");
    const get = requests.find((r) => r.path === "/v1/comparisons/cmp_1");
    assert.equal(get.key, "k-123");
    assert.equal(await page.isVisible("#download-ratings"), false);
  });

  test("a pick is POSTed as ratings and the server's human win rate is shown", async () => {
    await page.fill("#rater", "bob");
    await page.check("#best-2-sdxl");
    await page.waitForSelector("#save-status:has-text('Saved to the API')");
    const post = requests.find((r) => r.method === "POST");
    assert.equal(post.path, "/v1/comparisons/cmp_1/ratings");
    assert.equal(post.key, "k-123");
    assert.deepEqual(JSON.parse(post.body), { rater: "bob", picks: [{ prompt: 2, model: "sdxl" }] });
    assert.deepEqual(await column(page, "human_win_rate"),
      [["sdxl", "75 %"], ["sdxl-product", "13 %"], ["nova", "13 %"]]);
  });

  test("the playground's stored key is used without asking", async () => {
    const other = await context.newPage();
    await other.addInitScript(() => sessionStorage.setItem("vitrine.apiKey", "k-from-playground"));
    await other.goto(`${origin}/playground/comparison/?id=cmp_1`);  // the folder's index
    await other.waitForSelector("#grid tbody tr");
    assert.equal(new URL(other.url()).pathname, "/playground/comparison/report.html");
    assert.equal(await other.isVisible("#connect"), false);
    assert.equal(requests.findLast((r) => r.path === "/v1/comparisons/cmp_1").key, "k-from-playground");
    await other.close();
  });

  test("a running comparison shows its progress, then the report", async () => {
    const other = await context.newPage();
    await other.addInitScript(() => sessionStorage.setItem("vitrine.apiKey", "k-123"));
    await other.goto(`${origin}/prod/playground/comparison/report.html?id=cmp_2`);
    await other.waitForSelector("#status:has-text('generating 3/9 images')");
    await other.waitForSelector("#grid tbody tr", { timeout: 10_000 });
    assert.equal(await other.textContent("#status"), "");
    // under a stage, the API is asked under that stage too
    assert.ok(requests.filter((r) => r.path === "/v1/comparisons/cmp_2").every((r) => r.stage));
    await other.close();
  });

  test("an unknown comparison shows the API's problem", async () => {
    const other = await context.newPage();
    await other.addInitScript(() => sessionStorage.setItem("vitrine.apiKey", "k-123"));
    await other.goto(`${origin}/playground/comparison/report.html?id=cmp_x`);
    await other.waitForSelector("#problem:has-text('404 · Not found')");
    assert.match(await other.textContent("#problem"), /no comparison cmp_x/);
    assert.equal(await other.isVisible("#grid-section"), false);
    await other.close();
  });
});
