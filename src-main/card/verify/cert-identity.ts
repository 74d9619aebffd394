/**
 * A stable identity for a parsed certificate without re-encoding it: SHA-256 over the to-be-signed bytes as read
 * (pkijs keeps them) and the signature. Two certificates with the same identity carry the same signed content and
 * the same signature. Used to compare certificates and to key caches of facts that depend only on the bytes.
 */
import { createHash } from 'node:crypto';
import type * as pkijs from 'pkijs';

const memo = new WeakMap<pkijs.Certificate, string>();

export function certIdentity(cert: pkijs.Certificate): string {
  const known = memo.get(cert);
  if (known !== undefined) return known;
  const tbs = cert.tbsView;
  // A certificate built in memory rather than parsed has no TBS bytes yet; encode it once to get them.
  const signed = tbs.byteLength > 0 ? tbs : new Uint8Array(cert.encodeTBS().toBER(false));
  const id = createHash('sha256')
    .update(signed)
    .update(cert.signatureValue.valueBlock.valueHexView)
    .digest('hex');
  memo.set(cert, id);
  return id;
}

export function sameCertificate(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  return a === b || certIdentity(a) === certIdentity(b);
}
