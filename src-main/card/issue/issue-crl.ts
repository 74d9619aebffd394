/**
 * Issues a CRL from the clinician-card CA listing revoked card certificate serials.
 */
import * as x509 from '@peculiar/x509';
import { EC_ALG, type CaBundle } from './ca';

const DAY = 86_400_000;

/** DER CRL signed by the card CA; valid from an hour ago for `validDays` (default 7). */
export async function issueCrl(ca: CaBundle, revokedSerialsHex: readonly string[], validDays = 7): Promise<Buffer> {
  const now = Date.now();
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cardCa.cert.subjectName,
    thisUpdate: new Date(now - 60 * 60_000),
    nextUpdate: new Date(now + validDays * DAY),
    signingAlgorithm: EC_ALG,
    signingKey: ca.cardCa.key,
    entries: revokedSerialsHex.map((serialNumber) => ({ serialNumber, revocationDate: new Date(now - 60_000) })),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.cardCa.cert)],
  });
  return Buffer.from(crl.rawData);
}
