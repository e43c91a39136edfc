// Local mode only (no TAB_* settings): a key pair made at start, its public half served at
// /api/dev/jwks and trusted by the token check, and /api/dev/token handing out tokens shaped like
// Entra's, so the local tab host can sign people in without a tenant. The private key lives in
// memory for the life of the process; a restart makes every dev token invalid.
import { randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';
import type { Request, Response } from 'restify';
import { z } from 'zod';
import type { Installations } from '../leads/store.js';
import { sendError } from './error-answer.js';
import { readJsonBody } from './json-body.js';
import { REQUIRED_SCOPE } from './sso.js';

/** The audience of dev tokens: not a real app id, so no Entra token is ever accepted in its place. */
export const DEV_APP_ID = 'lead-assistant-local-tab';
/** The tenant of dev tokens when the bot is installed nowhere yet. */
export const DEV_TENANT_ID = 'local-tenant';
const LIFETIME_SECONDS = 60 * 60;

export interface DevIssuer {
  keys: JWTVerifyGetKey;
  jwks: JSONWebKeySet;
  issue(claims: { oid: string; name: string; tid: string }): Promise<string>;
}

export async function createDevIssuer(): Promise<DevIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `dev-${randomUUID()}`;
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  return {
    keys: createLocalJWKSet(jwks),
    jwks,
    issue: ({ oid, name, tid }) =>
      new SignJWT({
        tid,
        oid,
        name,
        preferred_username: `${oid}@local.test`,
        scp: REQUIRED_SCOPE,
        ver: '2.0',
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(`https://login.microsoftonline.com/${tid}/v2.0`)
        .setAudience(DEV_APP_ID)
        .setSubject(oid)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime(`${LIFETIME_SECONDS}s`)
        .sign(privateKey),
  };
}

const MAX_REQUEST_BYTES = 4096;
const EXPECTED = 'Send JSON {"oid": "<user id>", "name": "<display name>", "tid"?: "<tenant>"}.';

const tokenRequest = z.object({
  oid: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(200),
  tid: z.string().trim().min(1).max(100).optional(),
});

/** `GET /api/dev/jwks`: the dev key set, as Entra publishes its own. */
export function serveDevJwks(issuer: DevIssuer) {
  return async (_req: Request, res: Response) => {
    res.send(200, issuer.jwks);
  };
}

/**
 * `POST /api/dev/token` `{oid, name, tid?}` → `{token, expiresIn}`. Without `tid`, the tenant the
 * bot is installed in (so the Playground's team and the tab agree), else a fixed local one.
 */
export function issueDevToken(issuer: DevIssuer, store: Installations) {
  return async (req: Request, res: Response) => {
    const body = await readJsonBody(req, res, { maxBytes: MAX_REQUEST_BYTES, expected: EXPECTED });
    if (!body) return;
    const parsed = tokenRequest.safeParse(body.value);
    if (!parsed.success) {
      sendError(res, 400, 'invalid_input', EXPECTED);
      return;
    }
    const installed = (await store.listInstallations()).find((i) => i.tenantId !== '')?.tenantId;
    const tid = parsed.data.tid ?? installed ?? DEV_TENANT_ID;
    const token = await issuer.issue({ oid: parsed.data.oid, name: parsed.data.name, tid });
    res.send(200, { token, expiresIn: LIFETIME_SECONDS });
  };
}
