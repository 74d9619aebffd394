/**
 * Issues a CRL from the clinician-card CA listing revoked card certificate serials.
 */
import * as x509 from '@peculiar/x509';
import { EC_ALG, type CaBundle } from './ca';

const DAY = 86_400_000;

/**
 * DER CRL signed by the card CA; valid from an hour ago for `validDays` (default 7).
 * Every entry carries a reason code: @peculiar/x509 otherwise writes an empty crlEntryExtensions SEQUENCE,
 * which RFC 5280 forbids (SIZE 1..MAX) and pkijs rightly refuses to parse.
 */
export async function issueCrl(
  ca: CaBundle,
  revokedSerialsHex: readonly string[],
  validDays = 7,
  reason: x509.X509CrlReason = x509.X509CrlReason.keyCompromise,
): Promise<Buffer> {
  if (reason === x509.X509CrlReason.unspecified)
    throw new Error('give a specific CRL reason (unspecified is written as no reason)');
  const now = Date.now();
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cardCa.cert.subjectName,
    thisUpdate: new Date(now - 60 * 60_000),
    nextUpdate: new Date(now + validDays * DAY),
    signingAlgorithm: EC_ALG,
    signingKey: ca.cardCa.key,
    entries: revokedSerialsHex.map((serialNumber) => ({
      serialNumber,
      revocationDate: new Date(now - 60_000),
      reason,
    })),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.cardCa.cert)],
  });
  return Buffer.from(crl.rawData);
}
