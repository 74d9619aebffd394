/**
 * pkijs path building with a memory: which candidate issuers' signatures a certificate verifies under, found by
 * pkijs's own defaultFindIssuer and kept per trust store by certificate identity. The facts cached depend only on
 * certificate bytes (a signature either verifies or not), so the CA and role-authority certificates every card
 * shares are checked once, while a card's own certificate (new bytes) is always verified afresh. Dates,
 * constraints and CRLs are still checked by the engine on every validation.
 */
import * as pkijs from 'pkijs';
import { setBounded } from './bounded-map';
import { certIdentity } from './cert-identity';

type FindIssuer = pkijs.FindIssuerCallback;

export interface IssuerCache {
  readonly findIssuer: FindIssuer;
  /** Certificates whose issuers are remembered (for tests and diagnostics). */
  readonly size: number;
}

export function createIssuerCache(maxEntries = 256): IssuerCache {
  // certificate identity -> identities of the issuers whose signature on it verified
  const verified = new Map<string, string[]>();
  const findIssuer: FindIssuer = async (cert, engine, crypto) => {
    const id = certIdentity(cert);
    const known = verified.get(id);
    if (known) {
      // Only issuers this engine was actually given may be returned; otherwise ask pkijs again.
      const candidates = [...engine.trustedCerts, ...engine.certs].filter((c) =>
        known.includes(certIdentity(c)),
      );
      if (candidates.length > 0) return candidates;
    }
    const found = await pkijs.CertificateChainValidationEngine.prototype.defaultFindIssuer.call(
      engine,
      cert,
      engine,
      crypto,
    );
    if (found.length > 0)
      setBounded(
        verified,
        id,
        found.map((c) => certIdentity(c)),
        maxEntries,
      );
    return found;
  };
  return {
    findIssuer,
    get size() {
      return verified.size;
    },
  };
}
