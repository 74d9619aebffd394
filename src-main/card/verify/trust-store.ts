/**
 * The trust configuration for card checks: anchors, intermediate CA certificates and CRLs, parsed once.
 *
 * anchorsPem entries may each hold several PEM certificates. Self-signed ones become trust anchors; the others
 * (the clinician-card CA) are intermediates, trusted only through a path to an anchor. The card carries only its
 * own certificate, so a workstation needs the card CA too: load the CA folder's trust.pem, or root.pem plus
 * card-ca.pem (see src-main/card/issue/ca.ts).
 */
import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import * as x509 from '@peculiar/x509';
import { createIssuerCache, type IssuerCache } from './issuer-cache';

export interface TrustStoreInput {
  anchorsPem: string[];
  /** More CA certificates that are never anchors themselves. */
  intermediatesPem?: string[];
  /** DER CRLs; when given, listed certificates are refused as revoked. */
  crlsDer?: Buffer[];
}

export interface TrustStore {
  readonly anchors: readonly pkijs.Certificate[];
  readonly intermediates: readonly pkijs.Certificate[];
  readonly crls: readonly pkijs.CertificateRevocationList[];
  /** SHA-256 over everything above; part of the verifier's cache key. */
  readonly fingerprint: string;
  /** Path building that remembers verified issuer signatures; lives and dies with this store (and its CRLs). */
  readonly issuers: IssuerCache;
}

function pemBlocks(text: string): ArrayBuffer[] {
  if (!text.includes('-----BEGIN')) throw new Error('trust store: no PEM certificate in input');
  return x509.PemConverter.decode(text);
}

function isSelfSigned(der: ArrayBuffer): boolean {
  const c = new x509.X509Certificate(der);
  return Buffer.from(c.subjectName.toArrayBuffer()).equals(Buffer.from(c.issuerName.toArrayBuffer()));
}

export function createTrustStore(input: TrustStoreInput): TrustStore {
  const hash = createHash('sha256');
  const anchors: pkijs.Certificate[] = [];
  const intermediates: pkijs.Certificate[] = [];
  const add = (der: ArrayBuffer, asAnchor: boolean) => {
    hash.update(asAnchor ? 'A' : 'I').update(Buffer.from(der));
    (asAnchor ? anchors : intermediates).push(pkijs.Certificate.fromBER(der));
  };
  for (const pem of input.anchorsPem) for (const der of pemBlocks(pem)) add(der, isSelfSigned(der));
  for (const pem of input.intermediatesPem ?? []) for (const der of pemBlocks(pem)) add(der, false);
  if (anchors.length === 0) throw new Error('trust store: no self-signed trust anchor given');
  const crls = (input.crlsDer ?? []).map((der) => {
    hash.update('C').update(der);
    return pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
  });
  return { anchors, intermediates, crls, fingerprint: hash.digest('hex'), issuers: createIssuerCache() };
}
