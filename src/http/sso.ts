// The tab's single sign-on token, checked as Entra ID v2 requires (reference/teams-tab.md §3):
// RS256 only, a key from the published set, the tenant's issuer, our audience, a time window with
// five minutes of skew, and the `access_as_user` scope. Nothing from getContext() is trusted.
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** Who a valid token says is calling: `oid` + `tid` identify; the rest is for display only. */
export interface TabUser {
  oid: string;
  tid: string;
  name: string;
  /** `preferred_username`: mutable, never used to decide anything. */
  username?: string;
}

/** The token was refused; the message says what was wrong with it, never what it held. */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/** The keys could not be fetched: not the caller's fault, so not a 401. */
export class KeysUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeysUnavailableError';
  }
}

export type VerifyToken = (token: string) => Promise<TabUser>;

export interface TokenRules {
  keys: JWTVerifyGetKey;
  audiences: string[];
  /** The one tenant allowed; undefined accepts any (only for the local key, which only we hold). */
  tenantId?: string;
  now?: () => Date;
}

export const REQUIRED_SCOPE = 'access_as_user';
const SKEW_SECONDS = 300;

/**
 * Microsoft's keys (or a sovereign cloud's, or a test's), cached; a token with a key id not in
 * the cache makes one new fetch, and at most one a minute, so forged kids cannot hammer Entra.
 */
export function remoteKeys(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), {
    cooldownDuration: 60_000,
    cacheMaxAge: 24 * 60 * 60_000,
    timeoutDuration: 5_000,
  });
}

export function createTokenVerifier(rules: TokenRules): VerifyToken {
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, rules.keys, {
        algorithms: ['RS256'],
        audience: rules.audiences,
        clockTolerance: SKEW_SECONDS,
        requiredClaims: ['exp', 'iss', 'tid', 'oid'],
        ...(rules.now ? { currentDate: rules.now() } : {}),
      }));
    } catch (error) {
      throw explain(error, rules);
    }
    return checkClaims(payload, rules);
  };
}

function checkClaims(payload: JWTPayload, rules: TokenRules): TabUser {
  const text = (name: string) => (typeof payload[name] === 'string' ? (payload[name] as string) : '');
  const tid = text('tid').toLowerCase();
  if (payload.iss !== `https://login.microsoftonline.com/${text('tid')}/v2.0`)
    throw new TokenError(
      'The token’s issuer (iss) is not the Entra ID v2 issuer of its tenant (tid); a v2 token is required.',
    );
  if (rules.tenantId !== undefined && tid !== rules.tenantId)
    throw new TokenError('The token is from another tenant (tid); this server accepts its own tenant only.');
  const scopes = text('scp').split(' ');
  if (!scopes.includes(REQUIRED_SCOPE))
    throw new TokenError(
      `The token lacks the ${REQUIRED_SCOPE} scope (scp); a user token for the tab is needed.`,
    );
  const oid = text('oid');
  if (oid === '') throw new TokenError('The token names no user (oid).');
  const username = text('preferred_username');
  return { oid, tid, name: text('name') || username || oid, ...(username ? { username } : {}) };
}

function explain(error: unknown, rules: TokenRules): Error {
  if (error instanceof errors.JWTExpired)
    return new TokenError('The token has expired (exp); ask Teams for a new one.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new TokenError('The token is not valid yet (nbf).');
    if (error.claim === 'aud')
      return new TokenError(
        `The token was issued for another app (aud); this server accepts tokens for ${rules.audiences.join(' or ')}.`,
      );
    return new TokenError(`The token’s ${error.claim} claim is missing or invalid.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new TokenError('The token is not signed with RS256, the only algorithm accepted.');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return new TokenError('The token is signed with a key (kid) that is not among the published keys.');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new TokenError('The token’s signature does not match its content.');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return new KeysUnavailableError('The server cannot fetch the Entra ID signing keys right now.');
  if (error instanceof errors.JOSEError) return new TokenError('The token is not a well-formed signed JWT.');
  // fetch failed (no route to the key server, DNS): the keys are unavailable, not the token bad.
  if (error instanceof TypeError)
    return new KeysUnavailableError('The server cannot fetch the signing keys.');
  return new TokenError('The token is not a well-formed signed JWT.');
}

/** `Authorization: Bearer <token>` → the token; anything else → undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header?.trim() ?? '');
  return match?.[1];
}
