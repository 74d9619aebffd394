/**
 * The PIV Authentication certificate's own profile (beyond the path): not a CA, keyUsage digitalSignature,
 * extendedKeyUsage clientAuth, EC P-256 key, subject CN and a 12-digit UID.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { hasEku } from './eku';
import { OID_KP_CLIENT_AUTH, OID_UID } from './oids';

export interface AuthCertFacts {
  displayName: string;
  userId: string;
  publicKey: KeyObject;
}

/** Returns the facts or a reason the certificate is not fit for card sign-in. */
export function checkAuthCertProfile(cert: x509.X509Certificate): AuthCertFacts | { problem: string } {
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (bc?.ca) return { problem: 'the card certificate is a CA certificate' };
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  if (!ku || (ku.usages & x509.KeyUsageFlags.digitalSignature) === 0) {
    return { problem: 'the card certificate lacks keyUsage digitalSignature' };
  }
  if (ku.usages & (x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign)) {
    return { problem: 'the card certificate may sign certificates' };
  }
  if (!hasEku(cert, OID_KP_CLIENT_AUTH)) {
    return { problem: 'the card certificate lacks extendedKeyUsage clientAuth' };
  }
  const publicKey = createPublicKey({
    key: Buffer.from(cert.publicKey.rawData),
    format: 'der',
    type: 'spki',
  });
  if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    return { problem: 'the card key is not EC P-256' };
  }
  const cn = cert.subjectName.getField('CN');
  const uid = cert.subjectName.getField(OID_UID);
  if (cn.length !== 1 || !cn[0]) return { problem: 'the card certificate subject has no single CN' };
  if (uid.length !== 1 || !/^\d{12}$/.test(uid[0] ?? ''))
    return { problem: 'the card certificate subject has no 12-digit UID' };
  return { displayName: cn[0], userId: uid[0] as string, publicKey };
}
