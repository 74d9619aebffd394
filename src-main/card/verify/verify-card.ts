/**
 * The trust checks at sign-in (card profile "Login, in order", step 3): certificate path and profile, CHUID
 * expiry, care-roles signature and signer, binding to this card and holder, dates. Pure: no card I/O, no PIN.
 *
 * The inputs are what the PIV client reads (src-main/card/piv/client.ts), checked again here with the same strict
 * parsers (src-main/card/piv/objects.ts), since this is where trust is decided.
 */
import { createHash, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import * as x509 from '@peculiar/x509';
import type { RoleProfile } from '../../../src-shared/domain/rbac';
import type { CardHolder, CardRefusal } from '../../../src-shared/domain/session';
import { parseCareRolesContent, parseChuidContent, wholeDer, type ChuidFields } from '../piv/objects';
import { checkAuthCertProfile } from './auth-cert';
import { verifyCareRoles } from './care-roles';
import { chuidEnd } from './chuid';
import { refusalWords, type RefusalFacts } from './refusal-words';
import { sameCertificate } from './cert-identity';
import { sameName } from './dn';
import { validatePath } from './path';
import type { TrustStore } from './trust-store';

export interface CardObjects {
  /** The CHUID object's content (the TLVs inside its 53 wrapper). */
  chuid: Buffer;
  /** The PIV Authentication certificate, DER. */
  certDer: Buffer;
  /** The care-roles CMS SignedData, DER; null when the card has no care-roles object. */
  rolesDer: Buffer | null;
}

export type CardVerdict =
  | {
      ok: true;
      holder: CardHolder;
      /** 32 lower-case hex characters, from the CHUID. */
      cardGuid: string;
      certSha256Hex: string;
      certSerialHex: string;
      /** The certificate, DER. */
      certDer: Buffer;
      /** The CA certificates of the validated path above it, issuer first, trust anchors left out (DER). */
      issuersDer: Buffer[];
      /** The certificate's key, for the challenge check (verifyChallengeSignature). */
      publicKey: KeyObject;
      /** At least one. */
      roles: [RoleProfile, ...RoleProfile[]];
      /** ISO 8601 instant the care roles stop being valid. */
      rolesNotAfter: string;
      certNotAfter: string;
      /** Latest start and earliest end of anything checked (certificates, roles, CHUID): the verdict holds between. */
      validFrom: Date;
      validUntil: Date;
    }
  /** `message` in plain words for the user (refusal-words.ts), `detail` technical, for the log. */
  | { ok: false; reason: CardRefusal; message: string; detail: string };

const refuse = (reason: CardRefusal, detail: string, facts: RefusalFacts = {}): CardVerdict => ({
  ok: false,
  reason,
  message: refusalWords(reason, facts),
  detail,
});

/** Runs a strict parser; null when the bytes are malformed. */
function strictly<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

/** Hex serial without leading zeros, lower case, for comparison. */
function normSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

export async function verifyCardObjects(
  objects: CardObjects,
  trust: TrustStore,
  now: Date,
): Promise<CardVerdict> {
  const certBytes = strictly(() => wholeDer(objects.certDer, 'certificate'));
  if (!certBytes)
    return refuse('card-unreadable', 'the card certificate object could not be read', {
      part: 'certificate',
    });
  let cert: x509.X509Certificate;
  let pkiCert: pkijs.Certificate;
  try {
    cert = new x509.X509Certificate(new Uint8Array(certBytes));
    pkiCert = pkijs.Certificate.fromBER(new Uint8Array(certBytes));
  } catch {
    return refuse('card-unreadable', 'the card certificate is not a valid X.509 certificate', {
      part: 'certificate',
    });
  }

  // The care-roles signature check does not depend on the certificate path; start it now so the two overlap
  // (their signature work runs on the crypto thread pool). Results are still examined in the spec's order, so
  // the refusal reported is the same as when they ran one after the other.
  const cmsEarly =
    objects.rolesDer && objects.rolesDer.length > 0
      ? strictly(() => parseCareRolesContent(objects.rolesDer as Buffer))
      : null;
  const rolesPending = cmsEarly ? verifyCareRoles(cmsEarly, trust, now) : null;
  // Handled here only so an early refusal below leaves no unhandled rejection; it is awaited again further on.
  rolesPending?.catch(() => undefined);

  const path = await validatePath(pkiCert, trust, now);
  if (!path.ok) {
    const dated = path.date ? { date: path.date } : {};
    switch (path.failure) {
      case 'untrusted':
        return refuse('untrusted-issuer', `no path to a trust anchor: ${path.detail}`);
      case 'expired':
        return refuse('certificate-expired', path.detail, dated);
      case 'not-yet-valid':
        return refuse('certificate-not-yet-valid', path.detail, dated);
      case 'revoked':
        return refuse('certificate-revoked', path.detail);
      case 'invalid':
        return refuse('certificate-invalid', `the certificate path is not valid: ${path.detail}`);
    }
  }
  const facts = checkAuthCertProfile(cert);
  if ('problem' in facts) return refuse('certificate-invalid', facts.problem);

  const chuid: ChuidFields | null = strictly(() => parseChuidContent(objects.chuid));
  if (!chuid) return refuse('card-unreadable', 'the CHUID could not be read', { part: 'CHUID' });
  const cardGuid = chuid.guid.toString('hex');
  const cardEnd = chuidEnd(chuid.expiry);
  if (cardEnd < now) return refuse('card-expired', `CHUID expiry ${chuid.expiry}`, { date: cardEnd });

  if (!objects.rolesDer || objects.rolesDer.length === 0)
    return refuse('roles-missing', 'the card carries no care roles');
  if (!cmsEarly || !rolesPending) return refuse('roles-malformed', 'the care-roles object could not be read');
  const roles = await rolesPending;
  if (!roles.ok) return { ok: false, reason: roles.reason, message: roles.message, detail: roles.detail };
  const doc = roles.doc;

  if (doc.userId !== facts.userId) return refuse('roles-not-bound', 'the care roles belong to another user');
  if (doc.cardGuid.toLowerCase() !== cardGuid)
    return refuse('roles-not-bound', 'the care roles belong to another card');
  if (
    normSerial(doc.authCert.serial) !== normSerial(cert.serialNumber) ||
    !sameName(doc.authCert.issuer, cert.issuerName)
  ) {
    return refuse('roles-not-bound', 'the care roles name another certificate');
  }

  const rolesFrom = new Date(doc.notBefore);
  const rolesTo = new Date(doc.notAfter);
  if (!(rolesFrom < rolesTo)) return refuse('roles-malformed', 'the care-roles validity period is empty');
  if (now > rolesTo)
    return refuse('roles-expired', `the care roles expired ${doc.notAfter}`, { date: rolesTo });
  if (now < rolesFrom)
    return refuse('roles-expired', `the care roles are not valid before ${doc.notBefore}`, {
      date: rolesFrom,
      notYet: true,
    });
  const [firstRole, ...moreRoles] = doc.roles;
  if (!firstRole) return refuse('no-role-profiles', 'the card carries no role profiles');

  const validFrom = new Date(
    Math.max(path.notBefore.getTime(), roles.signerNotBefore.getTime(), rolesFrom.getTime()),
  );
  const validUntil = new Date(
    Math.min(path.notAfter.getTime(), roles.signerNotAfter.getTime(), rolesTo.getTime(), cardEnd.getTime()),
  );
  return {
    ok: true,
    holder: { displayName: facts.displayName, userId: facts.userId },
    cardGuid,
    certSha256Hex: createHash('sha256').update(certBytes).digest('hex'),
    certSerialHex: normSerial(cert.serialNumber),
    certDer: certBytes,
    issuersDer: path.path
      .slice(1)
      .filter((c) => !trust.anchors.some((a) => sameCertificate(a, c)))
      .map((c) => Buffer.from(c.toSchema().toBER(false))),
    publicKey: facts.publicKey,
    roles: [firstRole, ...moreRoles],
    rolesNotAfter: rolesTo.toISOString(),
    certNotAfter: new Date(Math.min(path.notAfter.getTime(), cardEnd.getTime())).toISOString(),
    validFrom,
    validUntil,
  };
}
