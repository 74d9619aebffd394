/**
 * The record services' check of the user's token (docs/specs/record-services.md, "The user's token").
 *
 * The token is a compact JWS the card signed: header `{ alg: 'ES256', typ: 'JWT', x5c: [card cert, CA certs] }`.
 * In order:
 *  1. The header is read without trusting it: ES256 only (so `none` and every other algorithm are refused before
 *     any key is chosen), and an x5c chain.
 *  2. x5c[0] must reach the configured card trust anchors (the same path validation as card sign-in,
 *     src-main/card/verify/path.ts; the other x5c entries only help build the path, they are never trusted) and
 *     be a card authentication certificate (clientAuth, EC P-256, a 12-digit UID).
 *  3. The signature is verified with that certificate's key (jose jwtVerify, ES256 only), with `aud` equal to
 *     this service's base URL, `exp` in the future, `iat` not in the future and at most 10 minutes old.
 *  4. The claims: exp - iat at most 600 s, `sub` equal to the certificate's UID, jti a UUID, the role profile,
 *     organisation and activities present, reason_for_request "directcare", requested_scope "patient/*.read".
 *  5. NHSD-Session-URID must name the token's role profile (403 otherwise: a valid user asking in another role).
 * Anything else is 401 with the reason in words. A token that passed is remembered (by its SHA-256 and audience)
 * until it expires, so the chain and signature are checked once per token, not once per request. A chain that
 * passed step 2 (path to this check's anchors, whose CRLs never change: a new CRL means a new trust store and a new
 * check) is remembered too, by the SHA-256 of its x5c entries, with the dates its path is valid between: a new
 * token from the same card (another audience, a fresh sign-in) has its signature and claims checked in full but
 * its certificates are not parsed and validated again while inside those dates. Refusals are never remembered.
 */
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import * as pkijs from 'pkijs';
import { z } from 'zod';
import { checkAuthCertProfile, type AuthCertFacts } from '../card/verify/auth-cert';
import { setBounded } from '../card/verify/bounded-map';
import { validatePath } from '../card/verify/path';
import type { TrustStore } from '../card/verify/trust-store';
import { issuesText } from '../../src-shared/validation/issues';

/** The longest a token may live (exp - iat), in seconds. */
export const MAX_TOKEN_SECONDS = 600;
/** Clock difference tolerated between the workstation and the service, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

export interface VerifiedUser {
  userId: string;
  displayName: string;
  /** Role profile id (the token's `urid`, equal to NHSD-Session-URID). */
  urid: string;
  /** ODS code of the role profile's organisation. */
  org: string;
  activities: string[];
  /** The workstation that asked (`iss`). */
  workstation: string;
  jti: string;
  /** When the token stops being valid. */
  expiresAt: Date;
}

export type TokenVerdict =
  { ok: true; user: VerifiedUser } | { ok: false; status: 401 | 403; reason: string };

export interface TokenCheckOptions {
  /** The card trust anchors; with none, every token is refused. */
  trust: TrustStore | null;
  now?: () => Date;
}

const Header = z.object({
  alg: z.literal('ES256'),
  typ: z.literal('JWT').optional(),
  x5c: z
    .array(z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/))
    .min(1)
    .max(4),
});

const Claims = z.object({
  iss: z.string().min(1),
  sub: z.string().regex(/^\d{12}$/),
  aud: z.union([z.string(), z.array(z.string())]),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.uuid(),
  urid: z.string().min(1).max(64),
  org: z.string().regex(/^[A-Z0-9]{3,10}$/),
  activities: z.array(z.string().regex(/^B\d{4}$/)),
  reason_for_request: z.literal('directcare'),
  requested_scope: z.literal('patient/*.read'),
});

const refuse = (reason: string, status: 401 | 403 = 401): TokenVerdict => ({ ok: false, status, reason });

/** Plain words for what jose refused. */
function joseReason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'the token signature does not match its content';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'the token is for another service';
    if (err.claim === 'iat') return 'the token was issued in the future or too long ago';
    return `the token's ${err.claim} claim is not valid`;
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the token is not signed with ES256';
  return 'the token is not a valid signed JWT';
}

export interface TokenCheck {
  /** Checks `Authorization` for this service's base URL and the request's NHSD-Session-URID. */
  verify(
    authorization: string | undefined,
    audience: string,
    sessionUrid: string | undefined,
  ): Promise<TokenVerdict>;
}

export function createTokenCheck(o: TokenCheckOptions): TokenCheck {
  const now = o.now ?? (() => new Date());
  const remembered = new Map<string, VerifiedUser>();
  /** Chains that passed step 2, by SHA-256 of their x5c entries (see the file comment). */
  const chains = new Map<string, { facts: AuthCertFacts; notBefore: number; notAfter: number }>();

  /** Step 2: the x5c chain reaches the anchors and its leaf is a card authentication certificate. */
  async function checkChain(
    trust: TrustStore,
    x5c: readonly string[],
    at: Date,
  ): Promise<AuthCertFacts | TokenVerdict> {
    const key = createHash('sha256').update(x5c.join('.')).digest('hex');
    const known = chains.get(key);
    if (known && known.notBefore <= at.getTime() && at.getTime() <= known.notAfter) return known.facts;
    const ders = x5c.map((b) => new Uint8Array(Buffer.from(b, 'base64')));
    const leafDer = ders[0] ?? new Uint8Array(0);
    let leaf: pkijs.Certificate;
    let aids: pkijs.Certificate[];
    let cert: x509.X509Certificate;
    try {
      leaf = pkijs.Certificate.fromBER(leafDer);
      aids = ders.slice(1).map((d) => pkijs.Certificate.fromBER(d));
      cert = new x509.X509Certificate(leafDer);
    } catch {
      return refuse('the token certificate chain is not made of X.509 certificates');
    }
    const path = await validatePath(leaf, trust, at, aids);
    if (!path.ok) {
      const why: Record<typeof path.failure, string> = {
        untrusted: 'the token certificate was not issued by a trusted card authority',
        expired: 'the token certificate has expired',
        'not-yet-valid': 'the token certificate is not valid yet',
        revoked: 'the token certificate has been revoked',
        invalid: 'the token certificate path is not valid',
      };
      return refuse(why[path.failure]);
    }
    const facts = checkAuthCertProfile(cert);
    if ('problem' in facts)
      return refuse(`the token certificate is not a card certificate (${facts.problem})`);
    setBounded(
      chains,
      key,
      { facts, notBefore: path.notBefore.getTime(), notAfter: path.notAfter.getTime() },
      64,
    );
    return facts;
  }

  async function verifyToken(token: string, audience: string, at: Date): Promise<TokenVerdict> {
    let header: z.infer<typeof Header>;
    try {
      const parsed = Header.safeParse(decodeProtectedHeader(token));
      if (!parsed.success) {
        const alg = (decodeProtectedHeader(token) as { alg?: unknown }).alg;
        return refuse(
          alg !== 'ES256'
            ? `the token is not signed with ES256 (alg ${JSON.stringify(alg ?? null)})`
            : 'the token header carries no usable certificate chain (x5c)',
        );
      }
      header = parsed.data;
    } catch {
      return refuse('the token is not a compact JWS');
    }
    if (!o.trust) return refuse('this service has no card trust anchors configured');

    const facts = await checkChain(o.trust, header.x5c, at);
    if ('ok' in facts) return facts;

    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, facts.publicKey, {
        algorithms: ['ES256'],
        audience,
        currentDate: at,
        clockTolerance: CLOCK_SKEW_SECONDS,
        maxTokenAge: MAX_TOKEN_SECONDS,
        requiredClaims: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti'],
      }));
    } catch (err) {
      return refuse(joseReason(err));
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) {
      return refuse(
        `the token's claims are not valid: ${issuesText(claims.error, { max: 1, whole: 'the claims' })}`,
      );
    }
    const c = claims.data;
    if (c.exp - c.iat > MAX_TOKEN_SECONDS) return refuse('the token lives longer than 10 minutes');
    if (c.sub !== facts.userId) return refuse("the token's subject is not the card holder");
    return {
      ok: true,
      user: {
        userId: c.sub,
        displayName: facts.displayName,
        urid: c.urid,
        org: c.org,
        activities: c.activities,
        workstation: c.iss,
        jti: c.jti,
        expiresAt: new Date(c.exp * 1000),
      },
    };
  }

  return {
    async verify(authorization, audience, sessionUrid) {
      const m = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
      if (!m)
        return refuse(
          authorization ? 'the Authorization header is not a bearer token' : 'no bearer token was sent',
        );
      const token = m[1] as string;
      const at = now();
      const key = `${createHash('sha256').update(token).digest('hex')} ${audience}`;
      let user = remembered.get(key);
      if (user && user.expiresAt.getTime() + CLOCK_SKEW_SECONDS * 1000 <= at.getTime()) {
        remembered.delete(key);
        user = undefined;
      }
      if (!user) {
        const verdict = await verifyToken(token, audience, at);
        if (!verdict.ok) return verdict;
        user = verdict.user;
        setBounded(remembered, key, user, 512);
      }
      if (!sessionUrid) return refuse('NHSD-Session-URID is missing');
      if (sessionUrid !== user.urid) return refuse("NHSD-Session-URID is not the token's role profile", 403);
      return { ok: true, user };
    },
  };
}
