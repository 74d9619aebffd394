/**
 * The user's tokens for the current session (docs/specs/record-services.md, "The user's token"): one per audience,
 * signed by the session's card on first use, held in memory only, re-signed shortly before it expires for an
 * audience asked for during its lifetime, and dropped at once by clear() (the card service calls it on lock,
 * removal, sign-out and a new session). A signing that was in flight when clear() ran is not handed out.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../services/logger';
import type { RoleProfile } from '../../../src-shared/domain/rbac';
import { TokenUnavailableError, type UserTokenPort } from '../../session/port';
import { CardUnreadableError } from '../piv/errors';
import { MAX_TOKEN_LIFETIME_S, userTokenClaims } from './claims';
import { signUserToken, type SignDigest, type TokenKey } from './sign-token';

/** Whom a token speaks for. */
export interface TokenSubject {
  sessionId: string;
  userId: string;
  role: RoleProfile;
  key: TokenKey;
}

/** What the card service lends the token service. Both throw TokenUnavailableError when there is no one to sign. */
export interface TokenSource {
  /** The signed-in, unlocked session and its card's key. */
  subject(): TokenSubject;
  /** GENERAL AUTHENTICATE on the session's card, through the card's op queue (so with the exchange deadline). */
  sign: SignDigest;
}

export interface TokenServiceOptions {
  workstationId: string;
  source: TokenSource;
  log: Logger;
  now?: () => Date;
  /** exp - iat (default and most: 600 s). */
  lifetimeS?: number;
  /** A token with less than this left is not handed out but signed again (default 120 s). */
  refreshBeforeS?: number;
}

export interface TokenService extends UserTokenPort {
  /** Drops every token and refresh; signings in flight are discarded when they finish. */
  clear(): void;
}

interface Entry {
  token: string;
  expMs: number;
  /** Session and role it speaks for. */
  speaksFor: string;
  /** Asked for since it was signed: only then is it re-signed before it expires. */
  used: boolean;
  timer: NodeJS.Timeout | null;
}

const speaksFor = (s: TokenSubject) => `${s.sessionId}|${s.role.urid}`;

function checkAudience(audience: string): void {
  let url: URL | null = null;
  try {
    url = new URL(audience);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || audience.length > 2048)
    throw new RangeError('a token audience is the base URL of a record service');
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { source, log } = options;
  const now = options.now ?? (() => new Date());
  const lifetimeS = Math.min(options.lifetimeS ?? MAX_TOKEN_LIFETIME_S, MAX_TOKEN_LIFETIME_S);
  const refreshBeforeMs = (options.refreshBeforeS ?? 120) * 1000;
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<string>>();
  let generation = 0;

  const drop = (audience: string) => {
    const entry = cache.get(audience);
    if (entry?.timer) clearTimeout(entry.timer);
    cache.delete(audience);
  };

  const store = (audience: string, entry: Entry) => {
    drop(audience);
    cache.set(audience, entry);
    const due = entry.expMs - refreshBeforeMs - now().getTime();
    entry.timer = setTimeout(() => refresh(audience, entry), Math.max(0, due));
    entry.timer.unref?.();
  };

  /** Shortly before expiry: re-signed if it was asked for, else let go. */
  const refresh = (audience: string, entry: Entry) => {
    entry.timer = null;
    if (cache.get(audience) !== entry) return;
    if (!entry.used) {
      cache.delete(audience);
      return;
    }
    signShared(audience, false).catch((err: unknown) => {
      drop(audience);
      log.debug('card: token refresh failed', {
        audience,
        error: err instanceof Error ? err.message : String(err),
      });
    });
  };

  const signFresh = async (audience: string, asked: boolean): Promise<string> => {
    const startedIn = generation;
    const subject = source.subject();
    const claims = userTokenClaims({
      workstationId: options.workstationId,
      userId: subject.userId,
      role: subject.role,
      audience,
      now: now(),
      lifetimeS,
    });
    const t0 = performance.now();
    let token: string;
    try {
      token = await signUserToken(claims, subject.key, source.sign);
    } catch (err) {
      if (err instanceof CardUnreadableError) throw new TokenUnavailableError('card-error', err.message);
      throw err;
    }
    if (startedIn !== generation) {
      // Locked, removed or signed out while the card signed: this token must not be used.
      source.subject();
      throw new TokenUnavailableError('locked', 'The session changed while the token was being signed.');
    }
    log.debug('card: token signed', { audience, ms: performance.now() - t0 });
    store(audience, {
      token,
      expMs: claims.exp * 1000,
      speaksFor: speaksFor(subject),
      used: asked,
      timer: null,
    });
    return token;
  };

  /** One signing per audience at a time; callers asking meanwhile share it. */
  const signShared = (audience: string, asked: boolean): Promise<string> => {
    const running = inflight.get(audience);
    if (running) return running;
    const p: Promise<string> = signFresh(audience, asked).finally(() => {
      if (inflight.get(audience) === p) inflight.delete(audience);
    });
    inflight.set(audience, p);
    return p;
  };

  const aborted = () => new TokenUnavailableError('aborted', 'The request for a token was cancelled.');

  return {
    async token(audience, signal) {
      if (signal?.aborted) throw aborted();
      checkAudience(audience);
      const subject = source.subject();
      const hit = cache.get(audience);
      if (hit && hit.speaksFor === speaksFor(subject) && hit.expMs - now().getTime() > refreshBeforeMs) {
        hit.used = true;
        return hit.token;
      }
      const signing = signShared(audience, true);
      if (!signal) return signing;
      return new Promise<string>((resolve, reject) => {
        const onAbort = () => reject(aborted());
        signal.addEventListener('abort', onAbort, { once: true });
        signing.then(
          (t) => {
            signal.removeEventListener('abort', onAbort);
            resolve(t);
          },
          (err: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
    },
    clear() {
      generation++;
      for (const audience of [...cache.keys()]) drop(audience);
      inflight.clear();
    },
  };
}
