// Builds the real API app against the test stack with one token per role (plus a second approver),
// for app.inject() tests.
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../api/app.js';
import { createApiDeps } from '../../api/create-deps.js';
import type { ApiDeps } from '../../api/deps.js';
import { hashSecret, type StoredToken } from '../../core/auth/tokens.js';
import type { ApiRole } from '../../core/config.js';
import type { Harness } from './pipeline.js';

export const tokens = {
  viewer: { name: 'vera-viewer', role: 'viewer', secret: 'viewer-secret-0123456789' },
  operator: { name: 'oscar-operator', role: 'operator', secret: 'operator-secret-0123456789' },
  approver: { name: 'ada-approver', role: 'approver', secret: 'approver-secret-0123456789' },
  approver2: { name: 'bo-approver', role: 'approver', secret: 'approver2-secret-0123456789' },
  admin: { name: 'ann-admin', role: 'admin', secret: 'admin-secret-0123456789' },
} as const satisfies Record<string, { name: string; role: ApiRole; secret: string }>;

export type TokenName = keyof typeof tokens;

export const storedTokens: StoredToken[] = Object.values(tokens).map((t) => ({
  name: t.name,
  role: t.role,
  sha256: hashSecret(t.secret).toString('hex'),
}));

export function auth(who: TokenName): { authorization: string } {
  return { authorization: `Bearer ${tokens[who].secret}` };
}

export interface ApiHarness {
  app: FastifyInstance;
  deps: ApiDeps;
  close(): Promise<void>;
}

/** The app wired to the harness's task queue (its in-process worker runs the workflows). */
export async function createApiHarness(h: Harness, overrides: Partial<ApiDeps> = {}): Promise<ApiHarness> {
  const base = await createApiDeps(h.config, { tokens: storedTokens, cacheSuffix: `api-${h.id}` });
  const deps: ApiDeps = { ...base, taskQueue: h.taskQueue, trainTaskQueue: h.trainTaskQueue, ...overrides };
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  return {
    app,
    deps,
    async close() {
      await app.close();
      await deps.metrics.close();
      await deps.temporal.close();
      // An overridden connection leaves the real one open: close it too, or the test process lingers.
      if (base.temporal !== deps.temporal) await base.temporal.close();
    },
  };
}

/** A request with `payload` as its body to `url`, authenticated as the token `who`. */
function sendAs(
  method: 'POST' | 'PUT',
  app: FastifyInstance,
  who: TokenName,
  url: string,
  payload: InjectOptions['payload'],
): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, headers: auth(who), payload });
}

/** A POST of `payload` to `url` as the token `who`. */
export const postAs = sendAs.bind(undefined, 'POST');
/** A PUT of `payload` to `url` as the token `who`. */
export const putAs = sendAs.bind(undefined, 'PUT');

/** The response body as an object. */
export const json = (res: LightMyRequestResponse) => res.json() as Record<string, unknown>;

/** Asserts a problem+json answer with the status, stable code and (optionally) detail; returns the body. */
export function assertProblem(
  res: LightMyRequestResponse,
  status: number,
  code: string,
  detail?: RegExp,
): Record<string, unknown> {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = json(res);
  assert.equal(body.status, status);
  assert.equal(body.code, code, res.body);
  if (detail) assert.match(String(body.detail), detail);
  return body;
}
