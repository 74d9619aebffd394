/**
 * The layout of the PIV data objects sign-in reads (SP 800-73-4 part 1 and docs/specs/card-profile.md), checked
 * strictly, with the strict BER-TLV parser: inside the 53 wrapper only the tags the object defines, each once, and
 * nothing after the error detection code (FE); a certificate or a CMS is exactly one DER element. An object with
 * bytes after its last TLV is malformed. Everything here throws CardUnreadableError.
 */
import { CardUnreadableError } from './errors';
import { parseSingle, parseTlvs, tlvMap, type Tlv } from './tlv';

export interface ChuidFields {
  /** Tag 34, 16 bytes. */
  guid: Buffer;
  /** Tag 35, YYYYMMDD. */
  expiry: string;
}

const TAG_EDC = 0xfe;
/** CHUID: buffer length, FASC-N, organisation, DUNS, GUID, expiry, cardholder UUID, key map, signature, EDC. */
const CHUID_TAGS = new Set([0xee, 0x30, 0x32, 0x33, 0x34, 0x35, 0x36, 0x3d, 0x3e, TAG_EDC]);
/** X.509 certificate container: certificate, CertInfo, MSCUID, EDC. */
const CERT_TAGS = new Set([0x70, 0x71, 0x72, TAG_EDC]);

const hex = (tag: number) => tag.toString(16).toUpperCase();

/** The object's TLVs, refusing unknown or repeated tags and anything after the EDC. */
function fields(content: Buffer, what: string, allowed: ReadonlySet<number>): Map<number, Buffer> {
  const items: Tlv[] = parseTlvs(content);
  items.forEach((t, i) => {
    if (!allowed.has(t.tag))
      throw new CardUnreadableError(`The ${what} holds tag ${hex(t.tag)}, which it does not have.`);
    if (t.tag === TAG_EDC && i !== items.length - 1)
      throw new CardUnreadableError(`The ${what} has data after its last TLV (FE).`);
  });
  return tlvMap(items);
}

/** `der` is exactly one DER SEQUENCE, with nothing after it. Answers `der`. */
export function wholeDer(der: Buffer, what: string): Buffer {
  try {
    parseSingle(der, 0x30);
  } catch {
    throw new CardUnreadableError(`The ${what} is not one DER element (bytes after it, or cut short).`);
  }
  return der;
}

/** The CHUID content (inside 53): GUID and expiry. */
export function parseChuidContent(content: Buffer): ChuidFields {
  const map = fields(content, 'CHUID', CHUID_TAGS);
  const guid = map.get(0x34);
  if (!guid || guid.length !== 16) throw new CardUnreadableError('The CHUID has no 16-byte GUID.');
  const expiry = map.get(0x35)?.toString('latin1') ?? '';
  if (!/^\d{8}$/.test(expiry)) throw new CardUnreadableError('The CHUID expiry is not YYYYMMDD.');
  return { guid: Buffer.from(guid), expiry };
}

/** The certificate DER from the PIV Authentication certificate object's content (inside 53). */
export function parseCertificateContent(content: Buffer): Buffer {
  const map = fields(content, 'certificate object', CERT_TAGS);
  const der = map.get(0x70);
  if (!der || der.length === 0)
    throw new CardUnreadableError('The certificate object has no certificate (tag 70).');
  const info = map.get(0x71);
  if (info && (info.length !== 1 || info[0] !== 0x00)) {
    // 01 would mean gzip-compressed; this profile stores certificates uncompressed.
    throw new CardUnreadableError('The certificate on the card is compressed or its CertInfo is invalid.');
  }
  return wholeDer(Buffer.from(der), 'certificate');
}

/** The CMS SignedData DER of the care-roles object's content (inside 53). */
export function parseCareRolesContent(content: Buffer): Buffer {
  if (content.length === 0) throw new CardUnreadableError('The care-roles object is empty.');
  return wholeDer(Buffer.from(content), 'care-roles object');
}
