/*
 * The comparison report page: plain JavaScript, no build step, no dependency.
 *
 * File mode: report_writer.py embeds the report in <script id="report-data">; a person's
 * "best" picks stay in localStorage and download as ratings.json (the API's ratings body).
 * API mode: no embedded report, `?id=<comparison id>`: GET /v1/comparisons/{id} (the job
 * view; `result` is the report with image URLs), picks POST to /v1/comparisons/{id}/ratings
 * and the summary shows the server's human win rates.
 *
 * Every string from the report (prompts are user text) reaches the page through
 * textContent or an attribute, never as markup; image addresses only as http(s)/file URLs.
 * The pure functions are exported on globalThis.VitrineReport for tests (Node's vm or a page).
 *
 * Hooks a test can rely on: body[data-ready=true] once shown (data-mode "file" | "api");
 * API mode's base URL is `?base=`, else the playground's sessionStorage item, else where
 * this page is mounted (apiBaseFor); its key the playground's item (STORAGE.apiKey), else the #api-key form
 * (#connect-button); a pick is the radio #best-<prompt index>-<model name>; #save-status
 * says where it went; the summary's cells are `#summary tr[data-model=M] [data-column=K]`
 * (K: a COLUMNS key, e.g. human_win_rate, clip_win_rate).
 */
(function (root) {
  "use strict";

  /** Where things are kept: the playground's items (sessionStorage) and this page's own. */
  const STORAGE = {
    apiKey: "vitrine.apiKey", // the playground's key item (sessionStorage)
    baseUrl: "vitrine.baseUrl", // the playground's base URL item (sessionStorage)
    picksPrefix: "vitrine.comparison.picks.", // + report key (file) or "api:" + id (localStorage)
    rater: "vitrine.comparison.rater", // localStorage
  };
  const API_PREFIX = "/v1/comparisons/";
  const PAGE_MOUNT = "/playground/comparison/"; // where the API serves this folder
  const config = { pollMs: 2000 };

  /**
   * Human win rate per model over raters' picks (the JS twin of
   * sagemaker_containers.comparison.aggregate.human_win_rates): each rater has at most one
   * pick per prompt (a rater's later ratings and later picks replace earlier ones); picks of
   * unknown prompts or models are ignored; a model's rate is its picks over all picks, or
   * null when nobody has picked anything.
   *
   * @param {{rater: string, picks: {prompt: number, model: string}[]}[]} ratings
   * @param {string[]} models model names
   * @param {number[]} prompts prompt indices
   * @returns {Object<string, {human_win_rate: (number|null), human_picks: number}>}
   */
  function humanWinRates(ratings, models, prompts) {
    const knownModels = new Set(models);
    const knownPrompts = new Set(prompts);
    const byRater = new Map();
    for (const rating of ratings) {
      const picks = new Map();
      for (const pick of rating.picks) {
        if (knownPrompts.has(pick.prompt) && knownModels.has(pick.model)) {
          picks.set(pick.prompt, pick.model);
        }
      }
      byRater.set(rating.rater, picks);
    }
    const counts = new Map(models.map((m) => [m, 0]));
    let total = 0;
    for (const picks of byRater.values()) {
      for (const model of picks.values()) {
        counts.set(model, counts.get(model) + 1);
        total += 1;
      }
    }
    const out = {};
    for (const model of models) {
      const n = counts.get(model);
      out[model] = { human_win_rate: total ? n / total : null, human_picks: n };
    }
    return out;
  }

  /** The ratings body/document: `{rater, picks: [{prompt, model}]}`, one pick per prompt. */
  function ratingsDocument(rater, picks) {
    const entries = Object.entries(picks)
      .map(([prompt, model]) => ({ prompt: Number(prompt), model }))
      .sort((a, b) => a.prompt - b.prompt);
    return { rater, picks: entries };
  }

  /**
   * The API's base URL for a page at `href`: where the page's folder is mounted
   * (…/playground/comparison/), so a stage or path prefix (API Gateway's /prod) is kept.
   */
  function apiBaseFor(href) {
    const url = new URL(href);
    const at = url.pathname.lastIndexOf(PAGE_MOUNT);
    return url.origin + (at >= 0 ? url.pathname.slice(0, at) : "");
  }

  /** An image address the page may show: http(s) or file URLs (relative ones resolved). */
  function safeImageUrl(value, base) {
    if (typeof value !== "string" || value === "") return null;
    let url;
    try {
      url = new URL(value, base);
    } catch {
      return null;
    }
    return ["http:", "https:", "file:"].includes(url.protocol) ? url.href : null;
  }

  /** Fixed decimals, or an em dash for a missing figure. */
  function fmt(value, digits) {
    return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "—";
  }

  /** A figure with its unit, or an em dash alone. */
  function unit(value, digits, before, after) {
    const shown = fmt(value, digits);
    return shown === "—" ? shown : `${before}${shown}${after}`;
  }

  /** Dollars: cents and up to 2 decimals, fractions of a cent to 3 significant digits. */
  function usd(value) {
    if (typeof value !== "number" || !Number.isFinite(value)) return "—";
    return `$${value >= 0.01 || value === 0 ? value.toFixed(2) : value.toPrecision(3)}`;
  }

  function pct(value) {
    return typeof value === "number" && Number.isFinite(value) ? `${Math.round(value * 100)} %` : "—";
  }

  /** Summary columns: what each shows, how it reads a summary row, how it is sorted. */
  const COLUMNS = [
    // Labels may repeat (two LoRAs): the name tells them apart.
    { key: "model", label: "Model", get: (s) => (s.label && s.label !== s.model ? `${s.label} · ${s.model}` : s.model), show: (v) => v, text: true },
    { key: "images", label: "Images", get: (s) => s.images, show: (v) => fmt(v, 0) },
    { key: "failed", label: "Failed", get: (s) => s.failed, show: (v) => fmt(v, 0) },
    { key: "clip_mean", label: "CLIP mean", get: (s) => s.clip_score?.mean, show: (v) => fmt(v, 2) },
    { key: "clip_p50", label: "CLIP p50", get: (s) => s.clip_score?.p50, show: (v) => fmt(v, 2) },
    { key: "clip_p95", label: "CLIP p95", get: (s) => s.clip_score?.p95, show: (v) => fmt(v, 2) },
    { key: "model_s_mean", label: "Model s mean", get: (s) => s.model_seconds?.mean, show: (v) => fmt(v, 2) },
    { key: "model_s_p95", label: "Model s p95", get: (s) => s.model_seconds?.p95, show: (v) => fmt(v, 2) },
    { key: "wall_s_mean", label: "Wall s mean", get: (s) => s.wall_seconds?.mean, show: (v) => fmt(v, 2) },
    { key: "wall_s_p95", label: "Wall s p95", get: (s) => s.wall_seconds?.p95, show: (v) => fmt(v, 2) },
    { key: "usd_per_image", label: "Cost / image", get: (s) => s.cost_usd?.per_image, show: usd },
    { key: "usd_total", label: "Cost total", get: (s) => s.cost_usd?.total, show: usd },
    { key: "clip_win_rate", label: "CLIP win rate", get: (s) => s.clip_win_rate, show: pct },
    { key: "human_win_rate", label: "Human win rate", get: (s) => s.human_win_rate, show: pct },
    { key: "human_picks", label: "Human picks", get: (s) => s.human_picks, show: (v) => fmt(v, 0) },
  ];

  /** Rows sorted by a column; missing figures always last, ties by model name. */
  function sortRows(rows, key, direction) {
    const column = COLUMNS.find((c) => c.key === key);
    const sign = direction === "descending" ? -1 : 1;
    return [...rows].sort((a, b) => {
      const x = column.get(a);
      const y = column.get(b);
      const xMissing = x === null || x === undefined;
      const yMissing = y === null || y === undefined;
      if (xMissing || yMissing) return xMissing === yMissing ? 0 : xMissing ? 1 : -1;
      const order = column.text ? String(x).localeCompare(String(y)) : x - y;
      return order !== 0 ? sign * order : String(a.model).localeCompare(String(b.model));
    });
  }

  root.VitrineReport = {
    STORAGE, API_PREFIX, COLUMNS, apiBaseFor, config, humanWinRates, ratingsDocument, safeImageUrl,
    sortRows,
  };
  if (typeof document === "undefined") return; // loaded for its functions (Node's vm)

  // ---- the page ----------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);
  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props ?? {})) {
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name in node && !name.startsWith("on") && name !== "src" && name !== "href") node[name] = value;
      else node.setAttribute(name, value);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  };

  const state = {
    mode: "file", report: null, picks: {}, picksItem: null, sort: { key: null, direction: "none" }, // report order until a click
    api: { base: "", key: "", id: "" }, serverSummary: null,
  };

  function storageGet(store, item) {
    try {
      return store.getItem(item);
    } catch {
      return null; // storage disabled (some file:// setups, private modes)
    }
  }

  function storageSet(store, item, value) {
    try {
      store.setItem(item, value);
      return true;
    } catch {
      return false;
    }
  }

  function setStatus(text) {
    $("status").textContent = text;
  }

  /** A problem+json body (or any error), readably: title, status, detail, type. */
  function showProblem(problem) {
    const box = $("problem");
    box.replaceChildren();
    box.hidden = problem === null;
    if (problem === null) return;
    const title = problem.status ? `${problem.status} · ${problem.title ?? "Error"}` : problem.title ?? "Error";
    box.append(el("h3", { text: title }));
    if (problem.detail) box.append(el("p", { text: String(problem.detail) }));
    if (problem.type) box.append(el("code", { text: String(problem.type) }));
  }

  function modelNames() {
    return state.report.models.map((m) => m.name);
  }

  function promptIndices() {
    return state.report.prompts.map((p) => p.index);
  }

  /** Summary rows: the report's, with the human figures this page knows best. */
  function summaryRows() {
    const labels = new Map(state.report.models.map((m) => [m.name, m.label || m.name]));
    const byModel = new Map((state.report.summary ?? []).map((s) => [s.model, s]));
    const server = new Map((state.serverSummary ?? []).map((s) => [s.model, s]));
    const local = state.mode === "file"
      ? humanWinRates([ratingsDocument("me", state.picks)], modelNames(), promptIndices())
      : {};
    return modelNames().map((name) => {
      const row = { ...(byModel.get(name) ?? { model: name }), label: labels.get(name) };
      const human = state.mode === "file" ? local[name] : server.get(name);
      if (human) {
        row.human_win_rate = human.human_win_rate ?? null;
        row.human_picks = human.human_picks ?? 0;
      }
      return row;
    });
  }

  function renderSummary() {
    const table = $("summary");
    const head = el("tr");
    for (const column of COLUMNS) {
      const sorted = state.sort.key === column.key;
      const button = el("button", { type: "button", text: column.label, "data-sort": column.key });
      button.addEventListener("click", () => {
        const again = state.sort.key === column.key && state.sort.direction === "ascending";
        state.sort = { key: column.key, direction: again ? "descending" : "ascending" };
        renderSummary();
      });
      head.append(el("th", { scope: "col", "aria-sort": sorted ? state.sort.direction : "none" }, button));
    }
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    const rows = summaryRows();
    for (const row of state.sort.key ? sortRows(rows, state.sort.key, state.sort.direction) : rows) {
      const tr = el("tr", { "data-model": row.model });
      for (const column of COLUMNS) {
        tr.append(el(column.key === "model" ? "th" : "td", {
          text: column.show(column.get(row)), "data-column": column.key,
        }));
      }
      body.append(tr);
    }
  }

  function cellFor(prompt, model) {
    return state.report.cells.find((c) => c.prompt === prompt && c.model === model) ?? null;
  }

  /** The model with the row's top CLIP score (null when under two models have one). */
  function topClip(prompt) {
    const scored = state.report.cells.filter((c) => c.prompt === prompt && typeof c.clip_score === "number");
    if (scored.length < 2) return null;
    const best = Math.max(...scored.map((c) => c.clip_score));
    return new Set(scored.filter((c) => c.clip_score === best).map((c) => c.model));
  }

  function scoreList(cell) {
    const items = [
      ["CLIP", fmt(cell.clip_score, 2)],
      ["model", unit(cell.model_seconds, 2, "", " s")],
      ["wall", unit(cell.wall_seconds, 2, "", " s")],
      ["cost", usd(cell.cost_usd)],
      ["moderation", cell.moderation ?? "—"],
    ];
    return el("dl", { className: "scores" },
      ...items.flatMap(([name, value]) => [el("dt", { text: name }), el("dd", { text: value })]));
  }

  function renderCell(prompt, model, top) {
    const cell = cellFor(prompt.index, model.name);
    const td = el("td", { "data-model": model.name, className: `cell ${cell?.status ?? "missing"}` });
    if (cell === null) {
      td.append(el("p", { className: "why", text: model.error ? `failed: ${model.error}` : "no result" }));
      return td;
    }
    const src = safeImageUrl(cell.image, document.baseURI);
    if (cell.status === "succeeded" && src) {
      td.append(el("img", { src, alt: `${model.label || model.name}: ${prompt.prompt}`, loading: "lazy" }));
    }
    if (cell.status !== "succeeded") {
      const why = cell.error ?? (cell.moderation && cell.moderation !== "passed" ? cell.moderation : null);
      td.append(el("p", { className: "why", text: why ? `${cell.status}: ${why}` : cell.status }));
    }
    if (cell.status === "succeeded") td.append(scoreList(cell));
    if (top?.has(model.name)) td.append(el("span", { className: "badge", text: "top CLIP" }));
    if (cell.status === "succeeded") {
      const radio = el("input", {
        type: "radio", name: `best-${prompt.index}`, value: model.name,
        id: `best-${prompt.index}-${model.name}`, className: "best",
      });
      radio.checked = state.picks[prompt.index] === model.name;
      radio.addEventListener("change", () => pick(prompt.index, model.name));
      td.append(el("label", { className: "pick" }, radio, " Best"));
    }
    return td;
  }

  function renderGrid() {
    const table = $("grid");
    const head = el("tr", {}, el("th", { scope: "col", text: "Prompt" }));
    for (const model of state.report.models) {
      const th = el("th", { scope: "col", "data-model": model.name },
        el("div", { text: model.label || model.name }),
        el("div", { className: "muted", text: `${model.name} · ${model.type ?? ""}` }));
      if (model.error) th.append(el("div", { className: "why", text: `column failed: ${model.error}` }));
      head.append(th);
    }
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const prompt of state.report.prompts) {
      const th = el("th", { scope: "row", className: "prompt" },
        el("span", { className: "muted", text: `#${prompt.index} ` }), el("span", { text: prompt.prompt }));
      if (prompt.negative_prompt) {
        th.append(el("div", { className: "muted", text: `negative: ${prompt.negative_prompt}` }));
      }
      if (prompt.blocked) th.append(el("div", { className: "why", text: `blocked: ${prompt.blocked}` }));
      for (const [field, alt] of [["reference_image", "reference image"], ["person_image", "person photo"]]) {
        const src = safeImageUrl(prompt[field], document.baseURI);
        if (src) th.append(el("img", { src, alt, title: alt, className: "reference" }));
      }
      const tr = el("tr", { "data-prompt": String(prompt.index) }, th);
      const top = topClip(prompt.index);
      for (const model of state.report.models) tr.append(renderCell(prompt, model, top));
      body.append(tr);
    }
  }

  function renderMeta() {
    const r = state.report;
    const parts = [`${r.prompts.length} prompts × ${r.models.length} models`];
    if (r.seed !== null && r.seed !== undefined) parts.push(`seed ${r.seed}`);
    if (r.tiny_models) parts.push("tiny random-weight models: images and scores are placeholders");
    $("meta").textContent = parts.join(" · ");
    const s = r.scorer;
    const how = [s?.library, s?.model].filter(Boolean).join(", ");
    $("scorer").textContent = s?.metric ? `Scores: ${s.metric}${how ? ` (${how})` : ""}.` : "";
  }

  function renderPicksCount() {
    const n = Object.keys(state.picks).length;
    $("picks-count").textContent = `${n} of ${state.report.prompts.length} prompts picked`;
  }

  function render() {
    renderMeta();
    renderSummary();
    renderGrid();
    renderPicksCount();
    for (const id of ["summary-section", "ratings-section", "grid-section"]) $(id).hidden = false;
    for (const node of document.querySelectorAll("[data-mode-only]")) {
      node.hidden = node.dataset.modeOnly !== state.mode;
    }
  }

  function savePicks() {
    return storageSet(localStorage, state.picksItem, JSON.stringify(state.picks));
  }

  function loadPicks() {
    let saved = {};
    try {
      saved = JSON.parse(storageGet(localStorage, state.picksItem) ?? "{}") ?? {};
    } catch {
      saved = {};
    }
    const models = new Set(modelNames());
    const prompts = new Set(promptIndices().map(String));
    state.picks = Object.fromEntries(
      Object.entries(saved).filter(([p, m]) => prompts.has(p) && models.has(m)));
  }

  function rater() {
    return $("rater").value.trim() || "anonymous";
  }

  async function pick(prompt, model) {
    state.picks[prompt] = model;
    const kept = savePicks();
    renderPicksCount();
    if (state.mode === "file") {
      renderSummary();
      $("save-status").textContent = kept ? "Saved in this browser." : "Not saved: this browser blocks storage.";
      return;
    }
    $("save-status").textContent = "Saving…";
    try {
      await sendRatings();
      $("save-status").textContent = "Saved to the API.";
    } catch (err) {
      $("save-status").textContent = "Not saved.";
      showProblem(err.problem ?? { title: "Network error", detail: String(err) });
    }
  }

  function download() {
    const body = JSON.stringify(ratingsDocument(rater(), state.picks), null, 2);
    const link = el("a", { download: "ratings.json" });
    link.href = URL.createObjectURL(new Blob([body + "\n"], { type: "application/json" }));
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  // ---- API mode ----------------------------------------------------------------------

  async function apiFetch(path, init) {
    const response = await fetch(state.api.base + path, {
      ...init,
      headers: { accept: "application/json", "x-api-key": state.api.key, ...(init?.headers ?? {}) },
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const problem = body && typeof body === "object" ? body : { title: response.statusText };
      const error = new Error(problem.title ?? `HTTP ${response.status}`);
      error.problem = { status: response.status, ...problem };
      throw error;
    }
    return body;
  }

  function comparisonPath() {
    return API_PREFIX + encodeURIComponent(state.api.id);
  }

  async function sendRatings() {
    const answer = await apiFetch(`${comparisonPath()}/ratings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ratingsDocument(rater(), state.picks)),
    });
    // The answer may carry the new summary; else the comparison's view has it.
    const summary = Array.isArray(answer?.summary) ? answer.summary
      : Array.isArray(answer?.result?.summary) ? answer.result.summary
        : (await apiFetch(comparisonPath())).result?.summary;
    state.serverSummary = summary ?? state.serverSummary;
    renderSummary();
  }

  async function loadComparison() {
    showProblem(null);
    setStatus("Loading…");
    let job;
    try {
      job = await apiFetch(comparisonPath());
    } catch (err) {
      setStatus("");
      showProblem(err.problem ?? { title: "Network error", detail: String(err) });
      if (err.problem?.status === 401 || err.problem?.status === 403) $("connect").hidden = false;
      return;
    }
    $("connect").hidden = true;
    if (job.status === "succeeded" && job.result) {
      setStatus("");
      state.report = job.result;
      state.serverSummary = job.result.summary ?? null;
      state.picksItem = `${STORAGE.picksPrefix}api:${state.api.id}`;
      loadPicks();
      render();
      document.body.dataset.ready = "true";
      return;
    }
    if (job.status === "failed" || job.status === "cancelled" || job.status === "expired") {
      setStatus(`Comparison ${job.status}.`);
      showProblem(job.error ?? { title: `Comparison ${job.status}` });
      document.body.dataset.ready = "true";
      return;
    }
    const p = job.progress;
    const done = p && typeof p.done === "number" && typeof p.total === "number" ? ` ${p.done}/${p.total} ${p.unit ?? ""}` : "";
    setStatus(`Comparison ${job.status}${p ? ` (${p.stage}${done})` : ""}…`);
    setTimeout(loadComparison, config.pollMs);
  }

  function startApiMode(params) {
    state.mode = "api";
    state.api.id = params.get("id");
    const storedBase = params.get("base") || storageGet(sessionStorage, STORAGE.baseUrl) || "";
    state.api.base = (storedBase.trim() || apiBaseFor(window.location.href)).replace(/\/+$/, "");
    state.api.key = storageGet(sessionStorage, STORAGE.apiKey) || storageGet(localStorage, STORAGE.apiKey) || "";
    $("base-url").value = storedBase;
    $("connect-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const base = $("base-url").value.trim();
      state.api.key = $("api-key").value.trim();
      state.api.base = (base || apiBaseFor(window.location.href)).replace(/\/+$/, "");
      storageSet(sessionStorage, STORAGE.apiKey, state.api.key);
      storageSet(sessionStorage, STORAGE.baseUrl, base);
      void loadComparison();
    });
    if (!state.api.key) {
      $("connect").hidden = false;
      setStatus("An API key is needed to load this comparison.");
      document.body.dataset.ready = "true";
      return;
    }
    void loadComparison();
  }

  function start() {
    const embedded = $("report-data");
    const params = new URLSearchParams(window.location.search);
    const savedRater = storageGet(localStorage, STORAGE.rater);
    $("rater").value = savedRater ?? `rater-${Math.random().toString(36).slice(2, 8)}`;
    storageSet(localStorage, STORAGE.rater, $("rater").value);
    $("rater").addEventListener("input", () => storageSet(localStorage, STORAGE.rater, $("rater").value));
    $("download-ratings").addEventListener("click", download);
    $("clear-picks").addEventListener("click", () => {
      state.picks = {};
      savePicks();
      render();
    });
    if (embedded) {
      document.body.dataset.mode = "file";
      state.report = JSON.parse(embedded.textContent);
      state.picksItem = STORAGE.picksPrefix + (embedded.dataset.key || window.location.pathname);
      loadPicks();
      render();
      document.body.dataset.ready = "true";
    } else if (params.get("id")) {
      document.body.dataset.mode = "api";
      startApiMode(params);
    } else {
      setStatus("No report here: open the report.html a comparison wrote, or add ?id=<comparison id>.");
      document.body.dataset.ready = "true";
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(globalThis);
