/**
 * The playground: the API driven from a browser page through the generated TypeScript
 * client (bundled by esbuild into dist/app.js; `make clients`).
 *
 * Works against any deployment: a base URL (default: this page's origin) and a key,
 * kept in sessionStorage only (gone when the tab closes), never in localStorage.
 */
import {
  createVitrineClient,
  ProblemError,
  waitForJob,
  type Job,
  type Problem,
  type Schemas,
  type VitrineClient,
} from "../../clients/typescript/src/index.ts";

const COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45"];
const KEY_ITEM = "vitrine.apiKey";
const BASE_ITEM = "vitrine.baseUrl";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
};

let uploadId: string | null = null;
let garmentId: string | null = null;

function client(): VitrineClient {
  const baseUrl = $<HTMLInputElement>("base-url").value.trim() || window.location.origin;
  return createVitrineClient({ baseUrl, apiKey: $<HTMLInputElement>("api-key").value.trim() });
}

/** A problem, readably: its title and status, detail, type, and each failed check. */
function showProblem(problem: Problem | null): void {
  const box = $("problem");
  box.replaceChildren();
  box.hidden = problem === null;
  if (problem === null) return;
  const title = document.createElement("h3");
  title.textContent = problem.status ? `${problem.status} · ${problem.title}` : problem.title;
  const detail = document.createElement("p");
  detail.textContent = problem.detail;
  const type = document.createElement("code");
  type.textContent = problem.type;
  box.append(title, detail, type);
  if (problem.errors?.length) {
    const list = document.createElement("ul");
    for (const err of problem.errors) {
      const item = document.createElement("li");
      item.textContent = `${err.loc.join(".")}: ${err.msg}`;
      list.append(item);
    }
    box.append(list);
  }
}

/** Runs an action; a problem (or a network failure) is shown instead of thrown. */
async function guarded(action: () => Promise<void>): Promise<void> {
  showProblem(null);
  try {
    await action();
  } catch (err) {
    if (err instanceof ProblemError) {
      showProblem(err.problem);
    } else {
      const message = err instanceof Error ? err.message : String(err);
      showProblem({ type: "about:blank", title: "Request failed", status: 0, detail: message });
    }
  }
}

/** The body of a successful call, or a ProblemError with the typed problem. */
function ok<T>(answer: { data?: T; error?: Problem; response: Response }): T {
  if (answer.error !== undefined || answer.data === undefined) {
    throw new ProblemError(
      answer.error ?? {
        type: "about:blank", title: "Unexpected answer", status: answer.response.status,
        detail: answer.response.statusText,
      },
    );
  }
  return answer.data;
}

/** Announces an upload, PUTs the file to its signed URL, and answers the upload id. */
async function upload(file: File): Promise<string> {
  const contentType = file.type as Schemas["UploadCreate"]["content_type"];
  const created = ok(await client().POST("/v1/uploads", {
    body: { content_type: contentType, size_bytes: file.size },
  }));
  const put = await fetch(created.upload.url, {
    method: created.upload.method, headers: created.upload.headers, body: file,
  });
  if (!put.ok) throw new ProblemError(await put.json());
  return created.upload_id;
}

/** A garment's catalog photo: the try-on then conditions on it (SDXL + IP-Adapter). */
async function useGarment(file: File): Promise<void> {
  garmentId = null;
  $<HTMLImageElement>("garment-preview").src = URL.createObjectURL(file);
  await guarded(async () => {
    $("garment-status").textContent = "Uploading…";
    garmentId = await upload(file);
    $("garment-status").textContent = `Garment photo: ${garmentId}`;
  });
}

async function usePhoto(file: File): Promise<void> {
  const preview = $<HTMLImageElement>("preview");
  preview.src = URL.createObjectURL(file);
  $("masks").replaceChildren();
  for (const old of document.querySelectorAll(".mask-overlay")) old.remove();
  uploadId = null;
  setReady();
  await guarded(async () => {
    $("upload-status").textContent = "Uploading…";
    uploadId = await upload(file);
    $("upload-status").textContent = `Uploaded: ${uploadId}`;
    setReady();
  });
}

function setReady(): void {
  for (const id of ["segment", "try-on", "describe"]) {
    $<HTMLButtonElement>(id).disabled = uploadId === null;
  }
}

async function segment(): Promise<void> {
  const prompts = $<HTMLInputElement>("prompts").value.split(",").map((p) => p.trim()).filter(Boolean);
  const found = ok(await client().POST("/v1/segmentations", {
    body: { image: { upload_id: uploadId! }, prompts },
  }));
  const overlay = $("overlay");
  for (const old of overlay.querySelectorAll(".mask-overlay")) old.remove();
  const legend = $("masks");
  legend.replaceChildren();
  found.masks.forEach((mask, index) => {
    const color = COLORS[index % COLORS.length]!;
    // The mask's white marks the region: shown as a translucent colour over the photo.
    const layer = document.createElement("div");
    layer.className = "mask-overlay";
    layer.style.background = color;
    layer.style.maskImage = `url("${mask.url}")`;
    layer.style.setProperty("-webkit-mask-image", `url("${mask.url}")`);
    overlay.append(layer);
    const item = document.createElement("li");
    item.className = "mask";
    item.innerHTML = `<span class="swatch" style="background:${color}"></span>`;
    item.append(`${mask.prompt}: ${(mask.coverage * 100).toFixed(1)} %`);
    legend.append(item);
  });
}

function showProgress(job: Job): void {
  const bar = $<HTMLProgressElement>("try-on-progress");
  const progress = job.progress;
  let text: string = job.status;
  if (progress?.done != null && progress.total) {
    bar.hidden = false;
    bar.max = progress.total;
    bar.value = progress.done;
    text = `${job.status} · ${progress.done}/${progress.total} ${progress.unit ?? ""}`.trim();
  } else if (progress) {
    text = `${job.status} · ${progress.stage}`;
  }
  $("try-on-status").textContent = text;
}

async function tryOn(): Promise<void> {
  const results = $("try-on-results");
  results.replaceChildren();
  $("try-on-status").textContent = "starting…";
  const vitrine = client();
  const job = ok(await vitrine.POST("/v1/try-ons", {
    params: { header: { "Idempotency-Key": crypto.randomUUID() } },
    body: {
      image: { upload_id: uploadId! },
      // Words, a photo, or both (the API refuses neither).
      garment_prompt: $<HTMLInputElement>("garment").value.trim() || null,
      garment_image: garmentId === null ? null : { upload_id: garmentId },
      steps: Number($<HTMLInputElement>("steps").value),
      n: Number($<HTMLInputElement>("count").value),
    },
  }));
  showProgress(job);
  const done = await waitForJob(vitrine, job.id, { intervalMs: 500, onProgress: showProgress });
  $<HTMLProgressElement>("try-on-progress").hidden = true;
  $("try-on-status").textContent = done.status;
  if (done.kind === "try_on" && done.result) {
    for (const image of done.result.images) {
      const img = document.createElement("img");
      img.src = image.url;
      img.alt = "try-on result";
      results.append(img);
    }
    // The blend weight the result went through: white replaced, black kept as uploaded.
    const mask = document.createElement("img");
    mask.src = done.result.mask.url;
    mask.alt = "mask used";
    mask.className = "mask-used";
    results.append(mask);
  }
  if (done.error) showProblem({ ...done.error, status: 0 });
}

async function describe(): Promise<void> {
  const found = ok(await client().POST("/v1/products/describe", {
    body: { image: { upload_id: uploadId! } },
  }));
  const box = $("description");
  box.replaceChildren();
  const table = document.createElement("table");
  for (const [name, value] of Object.entries(found.attributes.attributes)) {
    const row = table.insertRow();
    row.insertCell().textContent = name;
    row.insertCell().textContent = value;
  }
  const title = document.createElement("h3");
  title.textContent = found.description.title;
  const text = document.createElement("p");
  text.textContent = found.description.description;
  const bullets = document.createElement("ul");
  for (const bullet of found.description.bullets) {
    const item = document.createElement("li");
    item.textContent = bullet;
    bullets.append(item);
  }
  box.append(table, title, text, bullets);
}

async function listModels(): Promise<void> {
  const vitrine = client();
  // Every kind of the tenant's models: avatars, styles, products, concepts.
  const found = ok(await vitrine.GET("/v1/models", { params: { query: { limit: 50 } } }));
  const list = $("models");
  list.replaceChildren();
  if (found.count === 0) list.textContent = "No models yet.";
  for (const model of found.data) {
    const item = document.createElement("li");
    item.append(`${model.name} (${model.kind}${model.token ? `, ${model.token}` : ""}) · ${model.status} `);
    const remove = document.createElement("button");
    remove.textContent = "Delete";
    remove.addEventListener("click", () => guarded(async () => {
      const answer = await vitrine.DELETE("/v1/models/{model_id}", {
        params: { path: { model_id: model.id } },
      });
      if (answer.error) throw new ProblemError(answer.error);
      await listModels();
    }));
    item.append(remove);
    list.append(item);
  }
}

async function listComparisons(): Promise<void> {
  const vitrine = client();
  const found = ok(await vitrine.GET("/v1/comparisons", { params: { query: { limit: 20 } } }));
  const list = $("comparisons");
  list.replaceChildren();
  if (found.count === 0) list.textContent = "No comparisons yet.";
  // The report page (served beside this one by the API) reads this tab's key and base URL.
  const base = $<HTMLInputElement>("base-url").value.trim() || window.location.origin;
  for (const comparison of found.data) {
    const item = document.createElement("li");
    const models = comparison.result?.models.map((m) => m.name).join(", ") ?? "";
    item.append(`${comparison.created_at.slice(0, 16).replace("T", " ")} · ${comparison.status}`
      + `${comparison.progress?.total ? ` ${comparison.progress.done ?? 0}/${comparison.progress.total}` : ""}`
      + `${models ? ` · ${models}` : ""} `);
    const open = document.createElement("a");
    open.textContent = "Open report";
    open.href = `${base.replace(/\/$/, "")}${comparison.links.page ?? ""}`;
    // Same tab: the key lives in this tab's sessionStorage, which a new tab would not get.
    item.append(open);
    list.append(item);
  }
}

function remember(id: string, item: string): void {
  const input = $<HTMLInputElement>(id);
  input.value = sessionStorage.getItem(item) ?? input.value;
  input.addEventListener("input", () => sessionStorage.setItem(item, input.value));
}

function start(): void {
  remember("api-key", KEY_ITEM);
  remember("base-url", BASE_ITEM);
  const drop = $("drop");
  $<HTMLInputElement>("photo").addEventListener("change", (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void usePhoto(file);
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const file = event.dataTransfer?.files[0];
    if (file) void usePhoto(file);
  });
  $<HTMLInputElement>("garment-photo").addEventListener("change", (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void useGarment(file);
  });
  $("segment").addEventListener("click", () => guarded(segment));
  $("try-on").addEventListener("click", () => guarded(tryOn));
  $("describe").addEventListener("click", () => guarded(describe));
  $("list-models").addEventListener("click", () => guarded(listModels));
  $("list-comparisons").addEventListener("click", () => guarded(listComparisons));
  document.body.dataset.ready = "true";
}

start();
