/**
 * Verifies the care-roles object: a CMS SignedData (pkijs) whose single signer is a role authority chaining to the
 * anchors, over id-data content that parses as the roles JSON. Binding and dates are checked by the caller.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import * as x509 from '@peculiar/x509';
import type { CardRefusal } from '../../../src-shared/domain/session';
import { OID_ID_DATA, OID_KP_CARE_ROLES_SIGNING, OID_SIGNED_DATA } from './oids';
import { setBounded } from './bounded-map';
import { certIdentity } from './cert-identity';
import { hasEku } from './eku';
import { refusalWords } from './refusal-words';
import { validatePath } from './path';
import { CareRolesDocument } from './roles-document';
import type { TrustStore } from './trust-store';
import { issuesText } from '../../../src-shared/validation/issues';

export type RolesResult =
  | { ok: true; doc: CareRolesDocument; signerNotBefore: Date; signerNotAfter: Date }
  /** `message` in plain words for the user, `detail` technical (refusal-words.ts). */
  | { ok: false; reason: CardRefusal; message: string; detail: string };

const fail = (reason: CardRefusal, detail: string): RolesResult => ({
  ok: false,
  reason,
  message: refusalWords(reason),
  detail,
});

function signerOf(signed: pkijs.SignedData): pkijs.Certificate | null {
  const info = signed.signerInfos[0];
  if (!info || !(info.sid instanceof pkijs.IssuerAndSerialNumber)) return null;
  const sid = info.sid;
  for (const c of signed.certificates ?? []) {
    if (
      c instanceof pkijs.Certificate &&
      c.issuer.isEqual(sid.issuer) &&
      c.serialNumber.isEqual(sid.serialNumber)
    )
      return c;
  }
  return null;
}

/** Profile verdicts by certificate identity: they depend on the bytes alone, and every card carries the same few. */
const profileVerdicts = new Map<string, string | null>();
const MAX_PROFILE_VERDICTS = 64;

function roleAuthorityProblem(cert: pkijs.Certificate): string | null {
  const id = certIdentity(cert);
  const known = profileVerdicts.get(id);
  if (known !== undefined) return known;
  const problem = checkRoleAuthorityProfile(cert);
  setBounded(profileVerdicts, id, problem, MAX_PROFILE_VERDICTS);
  return problem;
}

/** The role-authority profile: end entity, digitalSignature, and the care-roles signing EKU. */
function checkRoleAuthorityProfile(cert: pkijs.Certificate): string | null {
  const c = new x509.X509Certificate(cert.toSchema().toBER(false));
  if (c.getExtension(x509.BasicConstraintsExtension)?.ca)
    return 'the roles signer is a CA certificate, not the role authority';
  const ku = c.getExtension(x509.KeyUsagesExtension);
  if (ku && (ku.usages & x509.KeyUsageFlags.digitalSignature) === 0)
    return 'the roles signer may not make signatures';
  if (!hasEku(c, OID_KP_CARE_ROLES_SIGNING)) {
    return 'the roles signer is not a role authority (no care-roles signing usage)';
  }
  return null;
}

export async function verifyCareRoles(der: Buffer, store: TrustStore, now: Date): Promise<RolesResult> {
  let signed: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(new Uint8Array(der));
    if (info.contentType !== OID_SIGNED_DATA)
      return fail('roles-malformed', 'the care-roles object is not CMS SignedData');
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    return fail('roles-malformed', `the care-roles object does not parse: ${(err as Error).message}`);
  }
  if (signed.encapContentInfo.eContentType !== OID_ID_DATA)
    return fail('roles-malformed', 'the care-roles content type is not id-data');
  const eContent = signed.encapContentInfo.eContent;
  if (!(eContent instanceof asn1js.OctetString))
    return fail('roles-malformed', 'the care-roles object has no content');
  if (signed.signerInfos.length !== 1)
    return fail('roles-malformed', 'the care-roles object must have exactly one signer');

  const signer = signerOf(signed);
  if (!signer) return fail('roles-untrusted', 'the care-roles signer certificate is not included');
  const aids = (signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const path = await validatePath(signer, store, now, aids);
  if (!path.ok) return fail('roles-untrusted', `the care-roles signer is not trusted: ${path.detail}`);
  const problem = roleAuthorityProblem(signer);
  if (problem) return fail('roles-untrusted', problem);

  let verified = false;
  try {
    const r = await signed.verify({ signer: 0, checkChain: false, extendedMode: true });
    verified = r.signatureVerified === true;
  } catch {
    verified = false;
  }
  if (!verified) return fail('roles-signature-invalid', 'the care-roles signature does not verify');

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(eContent.getValue()));
  } catch {
    return fail('roles-malformed', 'the care-roles content is not UTF-8 JSON');
  }
  const doc = CareRolesDocument.safeParse(json);
  if (!doc.success) {
    return fail(
      'roles-malformed',
      `the care-roles content is not valid (${issuesText(doc.error, { max: 1, whole: 'the document' })})`,
    );
  }
  return { ok: true, doc: doc.data, signerNotBefore: path.notBefore, signerNotAfter: path.notAfter };
}
