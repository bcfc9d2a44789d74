/**
 * The Vitrine API from TypeScript: `openapi-fetch` typed by `schema.d.ts`, which
 * `openapi-typescript` generates from the API's OpenAPI document (`make clients`).
 *
 * Every call answers `{ data, error, response }`: `data` is the typed success body,
 * `error` the typed RFC 9457 `Problem` of any documented error status.
 */
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "./schema";

export type { components, operations, paths } from "./schema";
export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type Job = Schemas["TryOnJob"] | Schemas["AvatarTrainingJob"] | Schemas["AvatarGenerationJob"];
export type VitrineClient = Client<paths>;

export interface VitrineOptions {
  /** The API's root, e.g. `http://127.0.0.1:8000` or an API Gateway stage URL. */
  baseUrl: string;
  /** A partner API key (`x-api-key`). */
  apiKey?: string;
  /** A Cognito ID token (`Authorization: Bearer`), for storefront frontends. */
  bearerToken?: string;
  fetch?: typeof globalThis.fetch;
}

export function createVitrineClient(options: VitrineOptions): VitrineClient {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers["x-api-key"] = options.apiKey;
  if (options.bearerToken) headers.authorization = `Bearer ${options.bearerToken}`;
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

const TERMINAL = new Set(["succeeded", "failed", "canceled"]);

/** Thrown when an API call answers a problem (its `problem` is typed). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.title}: ${problem.detail}`);
    this.name = "ProblemError";
  }
}

/**
 * Polls `GET /v1/jobs/{job_id}` until the job ends, reporting each view (its `progress`
 * while running); resolves with the terminal job.
 */
export async function waitForJob(
  client: VitrineClient,
  jobId: string,
  { intervalMs = 500, timeoutMs = 120_000, onProgress }: {
    intervalMs?: number;
    timeoutMs?: number;
    onProgress?: (job: Job) => void;
  } = {},
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data, error } = await client.GET("/v1/jobs/{job_id}", {
      params: { path: { job_id: jobId } },
    });
    if (error) throw new ProblemError(error);
    onProgress?.(data);
    if (TERMINAL.has(data.status)) return data;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${data.status}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
