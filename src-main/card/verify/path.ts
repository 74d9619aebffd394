/**
 * Certificate path validation to the trust anchors with pkijs's CertificateChainValidationEngine:
 * signatures, dates, basicConstraints/keyUsage of the CAs, and CRLs where configured.
 */
import * as pkijs from 'pkijs';
import { sameCertificate } from './cert-identity';
import type { TrustStore } from './trust-store';

export type PathFailure = 'untrusted' | 'expired' | 'not-yet-valid' | 'revoked' | 'invalid';

export type PathResult =
  | { ok: true; path: pkijs.Certificate[]; notBefore: Date; notAfter: Date }
  /** `detail` is technical (the engine's own words), for logs; `date` is the leaf's when its dates are the cause. */
  | { ok: false; failure: PathFailure; detail: string; date?: Date };

/**
 * Validates `leaf` at `now`. `aids` are untrusted certificates offered for path building (as in TLS, trust comes
 * only from reaching an anchor).
 */
export async function validatePath(
  leaf: pkijs.Certificate,
  store: TrustStore,
  now: Date,
  aids: readonly pkijs.Certificate[] = [],
): Promise<PathResult> {
  // The engine treats the last of `certs` as the leaf and removes duplicates; keep the leaf unique and last.
  const others = [...store.intermediates, ...aids].filter((c) => !sameCertificate(c, leaf));
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: [...store.anchors],
    certs: [...others, leaf],
    crls: [...store.crls],
    checkDate: now,
    findIssuer: store.issuers.findIssuer,
  });
  // passedWhenNotRevValues: only issuers with a configured CRL are checked ("CRLs where configured").
  const r = await engine.verify({ passedWhenNotRevValues: true });
  if (r.result) {
    const path = r.certificatePath ?? [];
    const notAfter = new Date(Math.min(...path.map((c) => c.notAfter.value.getTime())));
    const notBefore = new Date(Math.max(...path.map((c) => c.notBefore.value.getTime())));
    return { ok: true, path, notBefore, notAfter };
  }
  const detail = r.resultMessage || 'certificate path not valid';
  switch (r.resultCode) {
    case 8: {
      // Dates: say which way, and whether it is the leaf or an issuer.
      if (leaf.notAfter.value < now)
        return {
          ok: false,
          failure: 'expired',
          detail: `certificate expired ${leaf.notAfter.value.toISOString()}`,
          date: leaf.notAfter.value,
        };
      if (leaf.notBefore.value > now)
        return {
          ok: false,
          failure: 'not-yet-valid',
          detail: `certificate not valid before ${leaf.notBefore.value.toISOString()}`,
          date: leaf.notBefore.value,
        };
      return {
        ok: false,
        failure: 'expired',
        detail: 'an issuing CA certificate is outside its validity period',
      };
    }
    case 11:
    case 12:
      return { ok: false, failure: 'revoked', detail };
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 9:
    case 13:
    case 14:
      return { ok: false, failure: 'invalid', detail };
    default:
      // 10 (name chaining), 60 (no path), 97 (no path to an anchor), -1: not issued by anything we trust.
      return { ok: false, failure: 'untrusted', detail };
  }
}
