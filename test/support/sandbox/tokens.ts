/**
 * The user's token for tests, made the way the spec says the card makes it: a compact ES256 JWS signed with the
 * card's own key (from a card profile issued with src-main/card/issue), the card certificate and its CA in x5c.
 * Knobs make the bad ones: other claims, another header, another key.
 */
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { CaBundle } from '../../../src-main/card/issue/ca';
import type { CardProfile } from '../../../src-main/card/virtual/profile';

export interface TokenOptions {
  audience: string;
  /** The role profile the token is for (one of the card's). */
  role: { urid: string; orgCode: string; activities: readonly string[] };
  /** Claims to add or replace (undefined removes one). */
  claims?: Record<string, unknown>;
  /** Header fields to add or replace. */
  header?: Record<string, unknown>;
  /** Seconds from now. */
  issuedAt?: number;
  lifetime?: number;
  /** Sign with this key (or HMAC secret) instead of the card's. */
  key?: KeyObject | Uint8Array;
}

export function cardKey(profile: CardProfile): KeyObject {
  return createPrivateKey({ key: Buffer.from(profile.authKey, 'base64'), format: 'der', type: 'pkcs8' });
}

/** x5c for a card issued by `ca`: the card certificate, then the card CA (base64 DER, not base64url). */
export function x5cOf(profile: CardProfile, ca: CaBundle): string[] {
  return [profile.authCertDer, Buffer.from(ca.cardCa.cert.rawData).toString('base64')];
}

export async function makeToken(profile: CardProfile, ca: CaBundle, o: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000) + (o.issuedAt ?? 0);
  const claims: JWTPayload & Record<string, unknown> = {
    iss: 'WS-TEST-01',
    sub: profile.holder.userId,
    aud: o.audience,
    iat: now,
    exp: now + (o.lifetime ?? 300),
    jti: randomUUID(),
    urid: o.role.urid,
    org: o.role.orgCode,
    activities: [...o.role.activities],
    reason_for_request: 'directcare',
    requested_scope: 'patient/*.read',
  };
  for (const [k, v] of Object.entries(o.claims ?? {})) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: x5cOf(profile, ca), ...o.header } as { alg: string })
    .sign(o.key ?? cardKey(profile));
}

/** The same token with its payload replaced (the signature left as it was). */
export function tamper(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(payload);
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

/** An unsigned token (alg none) with the given claims and x5c. */
export function unsigned(token: string): string {
  const [h, p] = token.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
  header['alg'] = 'none';
  return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${p}.`;
}
