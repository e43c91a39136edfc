// Entra ID for tests: a JSON Web Key Set served on loopback by a tiny HTTP server (as
// login.microsoftonline.com serves its keys), and tokens shaped like a Teams SSO access token,
// signed with jose. Every claim, the header and the key can be overridden to forge bad ones.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  SignJWT,
} from 'jose';

export const TAB_APP_ID = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
export const TAB_TENANT_ID = '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a';
export const OTHER_TENANT_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

export interface MintOptions {
  /** Claims to set, or `undefined` to leave one out. */
  claims?: Record<string, unknown>;
  header?: Partial<JWTHeaderParameters>;
  /** Another private key (say, one the key set does not publish). */
  key?: CryptoKey | Uint8Array;
  /** Seconds from now; negative for a token already expired. */
  expiresIn?: number;
  notBefore?: number;
}

export class FakeEntra {
  /** How many times the key set was fetched. */
  fetches = 0;

  private constructor(
    private readonly server: Server,
    readonly jwksUrl: string,
    readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    readonly kid: string,
  ) {}

  static async start(): Promise<FakeEntra> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = 'test-key-1';
    const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    let entra: FakeEntra | undefined;
    const server = createServer((req, res) => {
      if (req.url !== '/discovery/v2.0/keys') {
        res.statusCode = 404;
        res.end();
        return;
      }
      if (entra) entra.fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    entra = new FakeEntra(server, `http://127.0.0.1:${port}/discovery/v2.0/keys`, privateKey, publicJwk, kid);
    return entra;
  }

  /** The environment that makes the app check tokens against this key set, as in production. */
  env(): Record<string, string> {
    return { TAB_APP_ID, TAB_TENANT_ID, TAB_JWKS_URL: this.jwksUrl };
  }

  /** A valid v2 token for the tab, for the user `oid`; `options` make it invalid in one way. */
  async mint(oid: string, options: MintOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      aud: TAB_APP_ID,
      iss: `https://login.microsoftonline.com/${TAB_TENANT_ID}/v2.0`,
      iat: now,
      nbf: now + (options.notBefore ?? 0),
      exp: now + (options.expiresIn ?? 3600),
      tid: TAB_TENANT_ID,
      oid,
      sub: `sub-${oid}`,
      name: `User ${oid}`,
      preferred_username: `${oid}@contoso.com`,
      scp: 'access_as_user',
      azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
      ver: '2.0',
      ...options.claims,
    };
    const payload = Object.fromEntries(
      Object.entries(claims).filter(([, v]) => v !== undefined),
    ) as JWTPayload;
    return new SignJWT(payload)
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        kid: this.kid,
        ...options.header,
      } as JWTHeaderParameters)
      .sign(options.key ?? this.privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A token with `alg: none` and no signature, as a forger would send it. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
