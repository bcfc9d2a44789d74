// node_modules/openapi-fetch/dist/index.mjs
var PATH_PARAM_RE = /\{[^{}]+\}/g, supportsRequestInitExt = () => typeof process == "object" && Number.parseInt(process?.versions?.node?.substring(0, 2)) >= 18 && process.versions.undici;
function randomID() {
  return Math.random().toString(36).slice(2, 11);
}
function createClient(clientOptions) {
  let {
    baseUrl = "",
    Request: CustomRequest = globalThis.Request,
    fetch: baseFetch = globalThis.fetch,
    querySerializer: globalQuerySerializer,
    bodySerializer: globalBodySerializer,
    pathSerializer: globalPathSerializer,
    headers: baseHeaders,
    requestInitExt = void 0,
    ...baseOptions
  } = { ...clientOptions };
  requestInitExt = supportsRequestInitExt() ? requestInitExt : void 0, baseUrl = removeTrailingSlash(baseUrl);
  let globalMiddlewares = [];
  async function coreFetch(schemaPath, fetchOptions) {
    let {
      baseUrl: localBaseUrl,
      fetch: fetch2 = baseFetch,
      Request = CustomRequest,
      headers,
      params = {},
      parseAs = "json",
      querySerializer: requestQuerySerializer,
      bodySerializer = globalBodySerializer ?? defaultBodySerializer,
      pathSerializer: requestPathSerializer,
      body,
      middleware: requestMiddlewares = [],
      ...init
    } = fetchOptions || {}, finalBaseUrl = baseUrl;
    localBaseUrl && (finalBaseUrl = removeTrailingSlash(localBaseUrl) ?? baseUrl);
    let querySerializer = typeof globalQuerySerializer == "function" ? globalQuerySerializer : createQuerySerializer(globalQuerySerializer);
    requestQuerySerializer && (querySerializer = typeof requestQuerySerializer == "function" ? requestQuerySerializer : createQuerySerializer({
      ...typeof globalQuerySerializer == "object" ? globalQuerySerializer : {},
      ...requestQuerySerializer
    }));
    let pathSerializer = requestPathSerializer || globalPathSerializer || defaultPathSerializer, serializedBody = body === void 0 ? void 0 : bodySerializer(
      body,
      // Note: we declare mergeHeaders() both here and below because it’s a bit of a chicken-or-egg situation:
      // bodySerializer() needs all headers so we aren’t dropping ones set by the user, however,
      // the result of this ALSO sets the lowest-priority content-type header. So we re-merge below,
      // setting the content-type at the very beginning to be overwritten.
      // Lastly, based on the way headers work, it’s not a simple “present-or-not” check becauase null intentionally un-sets headers.
      mergeHeaders(baseHeaders, headers, params.header)
    ), finalHeaders = mergeHeaders(
      // with no body, we should not to set Content-Type
      serializedBody === void 0 || // if serialized body is FormData; browser will correctly set Content-Type & boundary expression
      serializedBody instanceof FormData ? {} : {
        "Content-Type": "application/json"
      },
      baseHeaders,
      headers,
      params.header
    ), finalMiddlewares = [...globalMiddlewares, ...requestMiddlewares], requestInit = {
      redirect: "follow",
      ...baseOptions,
      ...init,
      body: serializedBody,
      headers: finalHeaders
    }, id, options, request = new Request(
      createFinalURL(schemaPath, { baseUrl: finalBaseUrl, params, querySerializer, pathSerializer }),
      requestInit
    ), response;
    for (let key in init)
      key in request || (request[key] = init[key]);
    if (finalMiddlewares.length) {
      id = randomID(), options = Object.freeze({
        baseUrl: finalBaseUrl,
        fetch: fetch2,
        parseAs,
        querySerializer,
        bodySerializer,
        pathSerializer
      });
      for (let m of finalMiddlewares)
        if (m && typeof m == "object" && typeof m.onRequest == "function") {
          let result = await m.onRequest({
            request,
            schemaPath,
            params,
            options,
            id
          });
          if (result)
            if (result instanceof Request)
              request = result;
            else if (result instanceof Response) {
              response = result;
              break;
            } else
              throw new Error("onRequest: must return new Request() or Response() when modifying the request");
        }
    }
    if (!response) {
      try {
        response = await fetch2(request, requestInitExt);
      } catch (error2) {
        let errorAfterMiddleware = error2;
        if (finalMiddlewares.length)
          for (let i = finalMiddlewares.length - 1; i >= 0; i--) {
            let m = finalMiddlewares[i];
            if (m && typeof m == "object" && typeof m.onError == "function") {
              let result = await m.onError({
                request,
                error: errorAfterMiddleware,
                schemaPath,
                params,
                options,
                id
              });
              if (result) {
                if (result instanceof Response) {
                  errorAfterMiddleware = void 0, response = result;
                  break;
                }
                if (result instanceof Error) {
                  errorAfterMiddleware = result;
                  continue;
                }
                throw new Error("onError: must return new Response() or instance of Error");
              }
            }
          }
        if (errorAfterMiddleware)
          throw errorAfterMiddleware;
      }
      if (finalMiddlewares.length)
        for (let i = finalMiddlewares.length - 1; i >= 0; i--) {
          let m = finalMiddlewares[i];
          if (m && typeof m == "object" && typeof m.onResponse == "function") {
            let result = await m.onResponse({
              request,
              response,
              schemaPath,
              params,
              options,
              id
            });
            if (result) {
              if (!(result instanceof Response))
                throw new Error("onResponse: must return new Response() when modifying the response");
              response = result;
            }
          }
        }
    }
    let contentLength = response.headers.get("Content-Length");
    if (response.status === 204 || request.method === "HEAD" || contentLength === "0" && !response.headers.get("Transfer-Encoding")?.includes("chunked"))
      return response.ok ? { data: void 0, response } : { error: void 0, response };
    if (response.ok)
      return { data: await (async () => {
        if (parseAs === "stream")
          return response.body;
        if (parseAs === "json" && !contentLength) {
          let raw = await response.text();
          return raw ? JSON.parse(raw) : void 0;
        }
        return await response[parseAs]();
      })(), response };
    let error = await response.text();
    try {
      error = JSON.parse(error);
    } catch {
    }
    return { error, response };
  }
  return {
    request(method, url, init) {
      return coreFetch(url, { ...init, method: method.toUpperCase() });
    },
    /** Call a GET endpoint */
    GET(url, init) {
      return coreFetch(url, { ...init, method: "GET" });
    },
    /** Call a PUT endpoint */
    PUT(url, init) {
      return coreFetch(url, { ...init, method: "PUT" });
    },
    /** Call a POST endpoint */
    POST(url, init) {
      return coreFetch(url, { ...init, method: "POST" });
    },
    /** Call a DELETE endpoint */
    DELETE(url, init) {
      return coreFetch(url, { ...init, method: "DELETE" });
    },
    /** Call a OPTIONS endpoint */
    OPTIONS(url, init) {
      return coreFetch(url, { ...init, method: "OPTIONS" });
    },
    /** Call a HEAD endpoint */
    HEAD(url, init) {
      return coreFetch(url, { ...init, method: "HEAD" });
    },
    /** Call a PATCH endpoint */
    PATCH(url, init) {
      return coreFetch(url, { ...init, method: "PATCH" });
    },
    /** Call a TRACE endpoint */
    TRACE(url, init) {
      return coreFetch(url, { ...init, method: "TRACE" });
    },
    /** Register middleware */
    use(...middleware) {
      for (let m of middleware)
        if (m) {
          if (typeof m != "object" || !("onRequest" in m || "onResponse" in m || "onError" in m))
            throw new Error("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`");
          globalMiddlewares.push(m);
        }
    },
    /** Unregister middleware */
    eject(...middleware) {
      for (let m of middleware) {
        let i = globalMiddlewares.indexOf(m);
        i !== -1 && globalMiddlewares.splice(i, 1);
      }
    }
  };
}
function serializePrimitiveParam(name, value, options) {
  if (value == null)
    return "";
  if (typeof value == "object")
    throw new Error(
      "Deeply-nested arrays/objects aren\u2019t supported. Provide your own `querySerializer()` to handle these."
    );
  return `${name}=${options?.allowReserved === !0 ? value : encodeURIComponent(value)}`;
}
function serializeObjectParam(name, value, options) {
  if (!value || typeof value != "object")
    return "";
  let values = [], joiner = {
    simple: ",",
    label: ".",
    matrix: ";"
  }[options.style] || "&";
  if (options.style !== "deepObject" && options.explode === !1) {
    for (let k in value)
      values.push(k, options.allowReserved === !0 ? value[k] : encodeURIComponent(value[k]));
    let final2 = values.join(",");
    switch (options.style) {
      case "form":
        return `${name}=${final2}`;
      case "label":
        return `.${final2}`;
      case "matrix":
        return `;${name}=${final2}`;
      default:
        return final2;
    }
  }
  for (let k in value) {
    let finalName = options.style === "deepObject" ? `${name}[${k}]` : k;
    values.push(serializePrimitiveParam(finalName, value[k], options));
  }
  let final = values.join(joiner);
  return options.style === "label" || options.style === "matrix" ? `${joiner}${final}` : final;
}
function serializeArrayParam(name, value, options) {
  if (!Array.isArray(value))
    return "";
  if (options.explode === !1) {
    let joiner2 = { form: ",", spaceDelimited: "%20", pipeDelimited: "|" }[options.style] || ",", final = (options.allowReserved === !0 ? value : value.map((v) => encodeURIComponent(v))).join(joiner2);
    switch (options.style) {
      case "simple":
        return final;
      case "label":
        return `.${final}`;
      case "matrix":
        return `;${name}=${final}`;
      // case "spaceDelimited":
      // case "pipeDelimited":
      default:
        return `${name}=${final}`;
    }
  }
  let joiner = { simple: ",", label: ".", matrix: ";" }[options.style] || "&", values = [];
  for (let v of value)
    options.style === "simple" || options.style === "label" ? values.push(options.allowReserved === !0 ? v : encodeURIComponent(v)) : values.push(serializePrimitiveParam(name, v, options));
  return options.style === "label" || options.style === "matrix" ? `${joiner}${values.join(joiner)}` : values.join(joiner);
}
function createQuerySerializer(options) {
  return function(queryParams) {
    let search = [];
    if (queryParams && typeof queryParams == "object")
      for (let name in queryParams) {
        let value = queryParams[name];
        if (value != null) {
          if (Array.isArray(value)) {
            if (value.length === 0)
              continue;
            search.push(
              serializeArrayParam(name, value, {
                style: "form",
                explode: !0,
                ...options?.array,
                allowReserved: options?.allowReserved || !1
              })
            );
            continue;
          }
          if (typeof value == "object") {
            search.push(
              serializeObjectParam(name, value, {
                style: "deepObject",
                explode: !0,
                ...options?.object,
                allowReserved: options?.allowReserved || !1
              })
            );
            continue;
          }
          search.push(serializePrimitiveParam(name, value, options));
        }
      }
    return search.join("&");
  };
}
function defaultPathSerializer(pathname, pathParams) {
  let nextURL = pathname;
  for (let match of pathname.match(PATH_PARAM_RE) ?? []) {
    let name = match.substring(1, match.length - 1), explode = !1, style = "simple";
    if (name.endsWith("*") && (explode = !0, name = name.substring(0, name.length - 1)), name.startsWith(".") ? (style = "label", name = name.substring(1)) : name.startsWith(";") && (style = "matrix", name = name.substring(1)), !pathParams || pathParams[name] === void 0 || pathParams[name] === null)
      continue;
    let value = pathParams[name];
    if (Array.isArray(value)) {
      nextURL = nextURL.replace(match, serializeArrayParam(name, value, { style, explode }));
      continue;
    }
    if (typeof value == "object") {
      nextURL = nextURL.replace(match, serializeObjectParam(name, value, { style, explode }));
      continue;
    }
    if (style === "matrix") {
      nextURL = nextURL.replace(match, `;${serializePrimitiveParam(name, value)}`);
      continue;
    }
    nextURL = nextURL.replace(match, style === "label" ? `.${encodeURIComponent(value)}` : encodeURIComponent(value));
  }
  return nextURL;
}
function defaultBodySerializer(body, headers) {
  return body instanceof FormData ? body : headers && (headers.get instanceof Function ? headers.get("Content-Type") ?? headers.get("content-type") : headers["Content-Type"] ?? headers["content-type"]) === "application/x-www-form-urlencoded" ? new URLSearchParams(body).toString() : JSON.stringify(body);
}
function createFinalURL(pathname, options) {
  let finalURL = `${options.baseUrl}${pathname}`;
  options.params?.path && (finalURL = options.pathSerializer(finalURL, options.params.path));
  let search = options.querySerializer(options.params.query ?? {});
  return search.startsWith("?") && (search = search.substring(1)), search && (finalURL += `?${search}`), finalURL;
}
function mergeHeaders(...allHeaders) {
  let finalHeaders = new Headers();
  for (let h of allHeaders) {
    if (!h || typeof h != "object")
      continue;
    let iterator = h instanceof Headers ? h.entries() : Object.entries(h);
    for (let [k, v] of iterator)
      if (v === null)
        finalHeaders.delete(k);
      else if (Array.isArray(v))
        for (let v2 of v)
          finalHeaders.append(k, v2);
      else v !== void 0 && finalHeaders.set(k, v);
  }
  return finalHeaders;
}
function removeTrailingSlash(url) {
  return url.endsWith("/") ? url.substring(0, url.length - 1) : url;
}

// clients/typescript/src/index.ts
function createVitrineClient(options) {
  let headers = {};
  return options.apiKey && (headers["x-api-key"] = options.apiKey), options.bearerToken && (headers.authorization = `Bearer ${options.bearerToken}`), createClient({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers,
    ...options.fetch ? { fetch: options.fetch } : {}
  });
}
var TERMINAL = /* @__PURE__ */ new Set(["succeeded", "failed", "canceled"]), ProblemError = class extends Error {
  constructor(problem) {
    super(`${problem.title}: ${problem.detail}`);
    this.problem = problem;
    this.name = "ProblemError";
  }
  problem;
};
async function waitForJob(client2, jobId, { intervalMs = 500, timeoutMs = 12e4, onProgress } = {}) {
  let deadline = Date.now() + timeoutMs;
  for (; ; ) {
    let { data, error } = await client2.GET("/v1/jobs/{job_id}", {
      params: { path: { job_id: jobId } }
    });
    if (error) throw new ProblemError(error);
    if (onProgress?.(data), TERMINAL.has(data.status)) return data;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${data.status}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// playground/src/app.ts
var COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45"], KEY_ITEM = "vitrine.apiKey", BASE_ITEM = "vitrine.baseUrl", $ = (id) => {
  let el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
}, uploadId = null, garmentId = null;
function client() {
  let baseUrl = $("base-url").value.trim() || window.location.origin;
  return createVitrineClient({ baseUrl, apiKey: $("api-key").value.trim() });
}
function showProblem(problem) {
  let box = $("problem");
  if (box.replaceChildren(), box.hidden = problem === null, problem === null) return;
  let title = document.createElement("h3");
  title.textContent = problem.status ? `${problem.status} \xB7 ${problem.title}` : problem.title;
  let detail = document.createElement("p");
  detail.textContent = problem.detail;
  let type = document.createElement("code");
  if (type.textContent = problem.type, box.append(title, detail, type), problem.errors?.length) {
    let list = document.createElement("ul");
    for (let err of problem.errors) {
      let item = document.createElement("li");
      item.textContent = `${err.loc.join(".")}: ${err.msg}`, list.append(item);
    }
    box.append(list);
  }
}
async function guarded(action) {
  showProblem(null);
  try {
    await action();
  } catch (err) {
    if (err instanceof ProblemError)
      showProblem(err.problem);
    else {
      let message = err instanceof Error ? err.message : String(err);
      showProblem({ type: "about:blank", title: "Request failed", status: 0, detail: message });
    }
  }
}
function ok(answer) {
  if (answer.error !== void 0 || answer.data === void 0)
    throw new ProblemError(
      answer.error ?? {
        type: "about:blank",
        title: "Unexpected answer",
        status: answer.response.status,
        detail: answer.response.statusText
      }
    );
  return answer.data;
}
async function upload(file) {
  let contentType = file.type, created = ok(await client().POST("/v1/uploads", {
    body: { content_type: contentType, size_bytes: file.size }
  })), put = await fetch(created.upload.url, {
    method: created.upload.method,
    headers: created.upload.headers,
    body: file
  });
  if (!put.ok) throw new ProblemError(await put.json());
  return created.upload_id;
}
async function useGarment(file) {
  garmentId = null, $("garment-preview").src = URL.createObjectURL(file), await guarded(async () => {
    $("garment-status").textContent = "Uploading\u2026", garmentId = await upload(file), $("garment-status").textContent = `Garment photo: ${garmentId}`;
  });
}
async function usePhoto(file) {
  let preview = $("preview");
  preview.src = URL.createObjectURL(file), $("masks").replaceChildren();
  for (let old of document.querySelectorAll(".mask-overlay")) old.remove();
  uploadId = null, setReady(), await guarded(async () => {
    $("upload-status").textContent = "Uploading\u2026", uploadId = await upload(file), $("upload-status").textContent = `Uploaded: ${uploadId}`, setReady();
  });
}
function setReady() {
  for (let id of ["segment", "try-on", "describe"])
    $(id).disabled = uploadId === null;
}
async function segment() {
  let prompts = $("prompts").value.split(",").map((p) => p.trim()).filter(Boolean), found = ok(await client().POST("/v1/segmentations", {
    body: { image: { upload_id: uploadId }, prompts }
  })), overlay = $("overlay");
  for (let old of overlay.querySelectorAll(".mask-overlay")) old.remove();
  let legend = $("masks");
  legend.replaceChildren(), found.masks.forEach((mask, index) => {
    let color = COLORS[index % COLORS.length], layer = document.createElement("div");
    layer.className = "mask-overlay", layer.style.background = color, layer.style.maskImage = `url("${mask.url}")`, layer.style.setProperty("-webkit-mask-image", `url("${mask.url}")`), overlay.append(layer);
    let item = document.createElement("li");
    item.className = "mask", item.innerHTML = `<span class="swatch" style="background:${color}"></span>`, item.append(`${mask.prompt}: ${(mask.coverage * 100).toFixed(1)} %`), legend.append(item);
  });
}
function showProgress(job) {
  let bar = $("try-on-progress"), progress = job.progress, text = job.status;
  progress?.done != null && progress.total ? (bar.hidden = !1, bar.max = progress.total, bar.value = progress.done, text = `${job.status} \xB7 ${progress.done}/${progress.total} ${progress.unit ?? ""}`.trim()) : progress && (text = `${job.status} \xB7 ${progress.stage}`), $("try-on-status").textContent = text;
}
async function tryOn() {
  let results = $("try-on-results");
  results.replaceChildren(), $("try-on-status").textContent = "starting\u2026";
  let vitrine = client(), job = ok(await vitrine.POST("/v1/try-ons", {
    params: { header: { "Idempotency-Key": crypto.randomUUID() } },
    body: {
      image: { upload_id: uploadId },
      // Words, a photo, or both (the API refuses neither).
      garment_prompt: $("garment").value.trim() || null,
      garment_image: garmentId === null ? null : { upload_id: garmentId },
      steps: Number($("steps").value),
      n: Number($("count").value)
    }
  }));
  showProgress(job);
  let done = await waitForJob(vitrine, job.id, { intervalMs: 500, onProgress: showProgress });
  if ($("try-on-progress").hidden = !0, $("try-on-status").textContent = done.status, done.kind === "try_on" && done.result) {
    for (let image of done.result.images) {
      let img = document.createElement("img");
      img.src = image.url, img.alt = "try-on result", results.append(img);
    }
    let mask = document.createElement("img");
    mask.src = done.result.mask.url, mask.alt = "mask used", mask.className = "mask-used", results.append(mask);
  }
  done.error && showProblem({ ...done.error, status: 0 });
}
async function describe() {
  let found = ok(await client().POST("/v1/products/describe", {
    body: { image: { upload_id: uploadId } }
  })), box = $("description");
  box.replaceChildren();
  let table = document.createElement("table");
  for (let [name, value] of Object.entries(found.attributes.attributes)) {
    let row = table.insertRow();
    row.insertCell().textContent = name, row.insertCell().textContent = value;
  }
  let title = document.createElement("h3");
  title.textContent = found.description.title;
  let text = document.createElement("p");
  text.textContent = found.description.description;
  let bullets = document.createElement("ul");
  for (let bullet of found.description.bullets) {
    let item = document.createElement("li");
    item.textContent = bullet, bullets.append(item);
  }
  box.append(table, title, text, bullets);
}
async function listModels() {
  let vitrine = client(), found = ok(await vitrine.GET("/v1/models", { params: { query: { limit: 50 } } })), list = $("models");
  list.replaceChildren(), found.count === 0 && (list.textContent = "No models yet.");
  for (let model of found.data) {
    let item = document.createElement("li");
    item.append(`${model.name} (${model.kind}${model.token ? `, ${model.token}` : ""}) \xB7 ${model.status} `);
    let remove = document.createElement("button");
    remove.textContent = "Delete", remove.addEventListener("click", () => guarded(async () => {
      let answer = await vitrine.DELETE("/v1/models/{model_id}", {
        params: { path: { model_id: model.id } }
      });
      if (answer.error) throw new ProblemError(answer.error);
      await listModels();
    })), item.append(remove), list.append(item);
  }
}
async function listComparisons() {
  let vitrine = client(), found = ok(await vitrine.GET("/v1/comparisons", { params: { query: { limit: 20 } } })), list = $("comparisons");
  list.replaceChildren(), found.count === 0 && (list.textContent = "No comparisons yet.");
  let base = $("base-url").value.trim() || window.location.origin;
  for (let comparison of found.data) {
    let item = document.createElement("li"), models = comparison.result?.models.map((m) => m.name).join(", ") ?? "";
    item.append(`${comparison.created_at.slice(0, 16).replace("T", " ")} \xB7 ${comparison.status}${comparison.progress?.total ? ` ${comparison.progress.done ?? 0}/${comparison.progress.total}` : ""}${models ? ` \xB7 ${models}` : ""} `);
    let open = document.createElement("a");
    open.textContent = "Open report", open.href = `${base.replace(/\/$/, "")}${comparison.links.page ?? ""}`, item.append(open), list.append(item);
  }
}
function remember(id, item) {
  let input = $(id);
  input.value = sessionStorage.getItem(item) ?? input.value, input.addEventListener("input", () => sessionStorage.setItem(item, input.value));
}
function start() {
  remember("api-key", KEY_ITEM), remember("base-url", BASE_ITEM);
  let drop = $("drop");
  $("photo").addEventListener("change", (event) => {
    let file = event.target.files?.[0];
    file && usePhoto(file);
  }), drop.addEventListener("dragover", (event) => {
    event.preventDefault(), drop.classList.add("over");
  }), drop.addEventListener("dragleave", () => drop.classList.remove("over")), drop.addEventListener("drop", (event) => {
    event.preventDefault(), drop.classList.remove("over");
    let file = event.dataTransfer?.files[0];
    file && usePhoto(file);
  }), $("garment-photo").addEventListener("change", (event) => {
    let file = event.target.files?.[0];
    file && useGarment(file);
  }), $("segment").addEventListener("click", () => guarded(segment)), $("try-on").addEventListener("click", () => guarded(tryOn)), $("describe").addEventListener("click", () => guarded(describe)), $("list-models").addEventListener("click", () => guarded(listModels)), $("list-comparisons").addEventListener("click", () => guarded(listComparisons)), document.body.dataset.ready = "true";
}
start();
