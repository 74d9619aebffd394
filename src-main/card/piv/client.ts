/**
 * A PIV client over any APDU transmit function: response chaining (61xx + GET RESPONSE), command chaining
 * (CLA 10), and the PIV commands sign-in needs (SELECT, GET DATA, VERIFY, GENERAL AUTHENTICATE).
 * Every answer is checked: an unexpected status word or malformed TLV throws CardUnreadableError.
 */
import { isPin, PIN_RULE } from '../../../src-shared/domain/pin';
import { chainCommand, encodeApdu, splitResponse, type Command, type Response } from './apdu';
import { TransportError } from '../transport/types';
import { CardUnreadableError, swHex } from './errors';
import { parseCareRolesContent, parseCertificateContent, parseChuidContent } from './objects';
import { encodeTlv, parseSingle, parseTlvs, tlvMap } from './tlv';

export type Transmit = (apdu: Buffer) => Promise<Buffer>;

export const PIV_AID = Buffer.from('A00000030800001000', 'hex');
const TAG_CHUID = 0x5fc102;
const TAG_AUTH_CERT = 0x5fc105;
const TAG_CARE_ROLES = 0x5fff10;
const KEY_PIV_AUTH = 0x9a;
const ALG_ECC_P256 = 0x11;
const PIV_PIN_REF = 0x80;

/** A PIV card holds objects of a few KB; more than this from chaining is a misbehaving card. */
const MAX_RESPONSE = 64 * 1024;

export interface Chuid {
  /** The CHUID object's content (inside tag 53). */
  raw: Buffer;
  guid: Buffer;
  guidHex: string;
  /** YYYYMMDD from tag 35. */
  expiry: string;
}

export type PinState =
  { state: 'verified' } | { state: 'not-verified'; triesLeft: number } | { state: 'blocked' };

export type VerifyResult =
  { ok: true } | { ok: false; blocked: false; triesLeft: number } | { ok: false; blocked: true };

const SW_OK = 0x9000;
const SW_NOT_FOUND = 0x6a82;
const SW_BLOCKED = 0x6983;

function triesFrom(sw: number): number | null {
  return (sw & 0xfff0) === 0x63c0 ? sw & 0x0f : null;
}

export interface PivClientOptions {
  /**
   * The card takes extended-length APDUs (its ATR says so: see cardCapabilities): GET DATA then fetches a whole
   * object in one exchange. A card that claims it but answers 6700 is asked again the short way, and from then on.
   */
  extendedLength?: boolean;
}

const SW_WRONG_LENGTH = 0x6700;

export class PivClient {
  private extendedLength: boolean;

  constructor(
    private readonly transmit: Transmit,
    options: PivClientOptions = {},
  ) {
    this.extendedLength = options.extendedLength ?? false;
  }

  private async exchange(apdu: Buffer): Promise<Response> {
    const raw = await this.transmit(apdu);
    const res = splitResponse(raw);
    if (!res) throw new CardUnreadableError(`The card answered ${raw.length} byte(s), not an APDU response.`);
    return res;
  }

  /** Sends one logical command, chaining it out and the answer in. Answers the assembled data and final SW. */
  async send(cmd: Command): Promise<Response> {
    const parts = chainCommand(cmd);
    let res: Response = { data: Buffer.alloc(0), sw: SW_OK };
    for (let i = 0; i < parts.length; i++) {
      res = await this.exchange(parts[i] as Buffer);
      if (i < parts.length - 1 && res.sw !== SW_OK) return res;
    }
    if ((res.sw & 0xff00) === 0x6c00 && parts.length === 1) {
      // Wrong Le: the card says how many bytes it has; ask again with that Le.
      res = await this.exchange(encodeApdu({ ...cmd, le: res.sw & 0xff }));
    }
    const chunks: Buffer[] = [res.data];
    let total = res.data.length;
    while ((res.sw & 0xff00) === 0x6100) {
      res = await this.exchange(encodeApdu({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, le: res.sw & 0xff }));
      chunks.push(res.data);
      total += res.data.length;
      if (total > MAX_RESPONSE)
        throw new CardUnreadableError('The card sent more data than any PIV object holds.');
    }
    return { data: Buffer.concat(chunks), sw: res.sw };
  }

  async selectPiv(): Promise<void> {
    const res = await this.send({ ins: 0xa4, p1: 0x04, p2: 0x00, data: PIV_AID, le: 0 });
    if (res.sw === SW_NOT_FOUND) throw new CardUnreadableError('This card has no PIV application.');
    if (res.sw !== SW_OK) throw new CardUnreadableError(`SELECT PIV answered ${swHex(res.sw)}.`);
    // The application property template; its content is informative, but it must be well formed.
    if (res.data.length > 0) parseSingle(res.data, 0x61);
  }

  /**
   * Extended first; the short form (and from then on only it) when the card answers 6700 or the reader cannot pass
   * the extended APDU at all (a reader limited to short APDUs fails the exchange itself). A removal still throws.
   */
  private async sendExtendedOrShort(cmd: Command): Promise<Response> {
    let res: Response | null = null;
    try {
      res = await this.send({ ...cmd, extended: true });
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
    }
    if (res && res.sw !== SW_WRONG_LENGTH) return res;
    this.extendedLength = false;
    return this.send(cmd);
  }

  /** GET DATA for a PIV object; the content of its 53 wrapper, or null when the card does not hold it. */
  async getData(tag: number): Promise<Buffer | null> {
    const tagBytes = Buffer.from([(tag >> 16) & 0xff, (tag >> 8) & 0xff, tag & 0xff]);
    const cmd: Command = { ins: 0xcb, p1: 0x3f, p2: 0xff, data: encodeTlv(0x5c, tagBytes), le: 0 };
    const res = this.extendedLength ? await this.sendExtendedOrShort(cmd) : await this.send(cmd);
    if (res.sw === SW_NOT_FOUND) return null;
    if (res.sw !== SW_OK)
      throw new CardUnreadableError(`GET DATA ${tag.toString(16).toUpperCase()} answered ${swHex(res.sw)}.`);
    return parseSingle(res.data, 0x53);
  }

  async readChuid(): Promise<Chuid> {
    const raw = await this.getData(TAG_CHUID);
    if (!raw) throw new CardUnreadableError('The card has no CHUID.');
    const { guid, expiry } = parseChuidContent(raw);
    return { raw, guid, guidHex: guid.toString('hex'), expiry };
  }

  /** The PIV Authentication certificate (DER). */
  async readAuthCertificate(): Promise<Buffer> {
    const raw = await this.getData(TAG_AUTH_CERT);
    if (!raw) throw new CardUnreadableError('The card has no PIV Authentication certificate.');
    return parseCertificateContent(raw);
  }

  /** The care-roles CMS SignedData (DER), or null when the card carries none. */
  async readCareRoles(): Promise<Buffer | null> {
    const raw = await this.getData(TAG_CARE_ROLES);
    return raw ? parseCareRolesContent(raw) : null;
  }

  /** VERIFY with no data: the PIN state without spending a try. */
  async pinState(): Promise<PinState> {
    const res = await this.send({ ins: 0x20, p1: 0x00, p2: PIV_PIN_REF });
    if (res.sw === SW_OK) return { state: 'verified' };
    if (res.sw === SW_BLOCKED) return { state: 'blocked' };
    const tries = triesFrom(res.sw);
    if (tries !== null)
      return tries === 0 ? { state: 'blocked' } : { state: 'not-verified', triesLeft: tries };
    throw new CardUnreadableError(`VERIFY (state) answered ${swHex(res.sw)}.`);
  }

  async verifyPin(pin: string): Promise<VerifyResult> {
    if (!isPin(pin)) throw new RangeError(PIN_RULE);
    const data = Buffer.alloc(8, 0xff);
    data.write(pin, 'ascii');
    const res = await this.send({ ins: 0x20, p1: 0x00, p2: PIV_PIN_REF, data });
    if (res.sw === SW_OK) return { ok: true };
    if (res.sw === SW_BLOCKED) return { ok: false, blocked: true };
    const tries = triesFrom(res.sw);
    if (tries !== null)
      return tries === 0 ? { ok: false, blocked: true } : { ok: false, blocked: false, triesLeft: tries };
    throw new CardUnreadableError(`VERIFY answered ${swHex(res.sw)}.`);
  }

  /** GENERAL AUTHENTICATE: the card signs `challenge` with the key in `keyRef`; answers the DER signature. */
  async generalAuthenticate(challenge: Buffer, keyRef = KEY_PIV_AUTH, alg = ALG_ECC_P256): Promise<Buffer> {
    const template = encodeTlv(
      0x7c,
      Buffer.concat([encodeTlv(0x82, Buffer.alloc(0)), encodeTlv(0x81, challenge)]),
    );
    const res = await this.send({ ins: 0x87, p1: alg, p2: keyRef, data: template, le: 0 });
    if (res.sw === 0x6982)
      throw new CardUnreadableError('The card refused to sign: the PIN is not verified.');
    if (res.sw !== SW_OK) throw new CardUnreadableError(`GENERAL AUTHENTICATE answered ${swHex(res.sw)}.`);
    const inner = tlvMap(parseTlvs(parseSingle(res.data, 0x7c)));
    const sig = inner.get(0x82);
    if (!sig || sig.length === 0)
      throw new CardUnreadableError('GENERAL AUTHENTICATE returned no signature.');
    return Buffer.from(sig);
  }
}
