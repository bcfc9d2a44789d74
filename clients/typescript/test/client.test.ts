/**
 * The generated TypeScript client against a live local server (node --test).
 * tests/clients/test_clients_live.py starts the server and passes VITRINE_BASE_URL,
 * VITRINE_API_KEY and VITRINE_TEST_IMAGE (a JPEG of a person).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { createVitrineClient, waitForJob, type Job, type Problem } from "../src/index.ts";

const baseUrl = process.env.VITRINE_BASE_URL ?? "";
const apiKey = process.env.VITRINE_API_KEY ?? "";
const image = readFileSync(process.env.VITRINE_TEST_IMAGE ?? "");
const client = createVitrineClient({ baseUrl, apiKey });

async function upload(): Promise<string> {
  const { data, error } = await client.POST("/v1/uploads", {
    body: { content_type: "image/jpeg", size_bytes: image.length },
  });
  assert.equal(error, undefined);
  const put = await fetch(data!.upload.url, {
    method: data!.upload.method,
    headers: data!.upload.headers,
    body: image,
  });
  assert.equal(put.status, 204);
  return data!.upload_id;
}

test("upload, segmentation with two prompts", async () => {
  const uploadId = await upload();
  const { data, error } = await client.POST("/v1/segmentations", {
    body: { image: { upload_id: uploadId }, prompts: ["the shirt", "the face"] },
  });
  assert.equal(error, undefined);
  assert.deepEqual(data!.masks.map((m) => m.prompt), ["the shirt", "the face"]);
  assert.ok(data!.masks.every((m) => typeof m.url === "string"));
});

test("a try-on job polled to success, its result typed, progress surfaced", async () => {
  const uploadId = await upload();
  const { data: job, error, response } = await client.POST("/v1/try-ons", {
    body: { image: { upload_id: uploadId }, garment_prompt: "a red linen shirt", steps: 2, seed: 1 },
  });
  assert.equal(error, undefined);
  assert.equal(response.status, 202);
  assert.equal(job!.kind, "try_on");
  assert.equal(job!.progress?.stage, "queued");
  const seen: Job[] = [];
  const done = await waitForJob(client, job!.id, { intervalMs: 200, onProgress: (j) => seen.push(j) });
  assert.equal(done.status, "succeeded");
  assert.equal(done.kind, "try_on");
  if (done.kind === "try_on") {
    // The discriminated union narrows the result to TryOnResult.
    assert.equal(done.result!.images.length, 1);
    assert.match(done.result!.mask.url, /^http/);
  }
  assert.ok(seen.length >= 1);
});

test("a wrong key is a typed 401 problem", async () => {
  const stranger = createVitrineClient({ baseUrl, apiKey: "not-a-key" });
  const { data, error, response } = await stranger.GET("/v1/jobs/{job_id}", {
    params: { path: { job_id: "job_x" } },
  });
  assert.equal(data, undefined);
  assert.equal(response.status, 401);
  const problem: Problem = error!;
  assert.equal(problem.type, "https://vitrine.dev/problems/unauthorized");
  assert.equal(response.headers.get("content-type"), "application/problem+json");
});

test("an unknown job is a typed 404 problem", async () => {
  const { error, response } = await client.GET("/v1/jobs/{job_id}", {
    params: { path: { job_id: "job_doesnotexist" } },
  });
  assert.equal(response.status, 404);
  assert.equal(error!.type, "https://vitrine.dev/problems/not-found");
  assert.equal(error!.status, 404);
});

test("an Idempotency-Key replays the first answer", async () => {
  const key = `ts-${Date.now()}`;
  const request = {
    params: { header: { "Idempotency-Key": key } },
    body: { content_type: "image/png" as const, size_bytes: 1234 },
  };
  const first = await client.POST("/v1/uploads", request);
  const again = await client.POST("/v1/uploads", request);
  assert.equal(first.response.status, 201);
  assert.equal(again.data!.upload_id, first.data!.upload_id);
  assert.equal(again.response.headers.get("idempotent-replayed"), "true");
});
