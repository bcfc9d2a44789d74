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
      fetch = baseFetch,
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
        fetch,
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
        response = await fetch(request, requestInitExt);
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

// playground/src/app.ts
var make = createVitrineClient;
export {
  make
};
