/**
 * A virtual PIV card: a pure APDU processor implementing docs/specs/card-profile.md (no I/O).
 * The same object is plugged into vpcd (vpcd-link.ts) or called in-process by the demo.
 *
 * GENERAL AUTHENTICATE signs the 32 bytes it is given as the digest, as a real PIV card does (ECDSA P-256 with
 * @noble/curves, without hashing again; node:crypto has no raw-digest ECDSA).
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { findTlv, parseTlvs, tlv } from './ber-tlv';
import { parseCommandApdu, type CommandApdu } from './command-apdu';
import type { CardProfile } from './profile';
import { PIN_TRIES } from '../../../src-shared/domain/pin';

/** Commands a fault can be attached to. */
export type FaultPoint = 'select' | 'get-data' | 'verify' | 'general-authenticate';

/**
 * Deliberate misbehaviour for tests of the host side. The card keeps a reference to this object, so a test may arm
 * a fault while the card is in the reader (e.g. a stall after sign-in).
 */
export interface CardFaults {
  /** Object tag (hex, e.g. "5FC105") answered with a truncated TLV. */
  malformed?: string;
  /** Object tag (hex) whose content carries two more bytes (90 00) after its last TLV, inside the 53 wrapper. */
  trailing?: string;
  /** Never answer this command: the reader waits for the card (see reply()). */
  stall?: FaultPoint;
  /** Send only the first half of the answer's vpcd frame to this command, then nothing (see reply()). */
  halfFrame?: FaultPoint;
  /** Answer 6F00 to this command. */
  status6F00?: FaultPoint;
  /** Answer random bytes with no valid status word to this command. */
  garbage?: FaultPoint;
  /** Sign challenges with a key other than the certificate's. */
  wrongKey?: true;
}

/**
 * What goes back over the card's link for one command: the answer, nothing at all (a stalled card), or the first
 * half of the answer's frame and then nothing.
 */
export type CardReply =
  { kind: 'answer'; response: Buffer } | { kind: 'silence' } | { kind: 'half-frame'; response: Buffer };

export interface CardOptions {
  /** PIN tries left at start (default 3): lets a blocked or half-spent card survive restarts. */
  triesLeft?: number;
  /** Called whenever the try counter changes, to persist it. */
  onTriesChanged?: (triesLeft: number) => void;
}

export const PIV_AID = Buffer.from('A000000308000010000100', 'hex');
/** The part of the AID hosts select with (SP 800-73: the version suffix may be left out). */
const PIV_AID_SELECT = PIV_AID.subarray(0, 9);
const MAX_PIN_TRIES = PIN_TRIES;
/**
 * Largest object (with its 53 wrapper) the card holds: one extended-length answer carries it whole, and that answer
 * plus its status word must fit a vpcd frame, whose length is two bytes.
 */
export const MAX_OBJECT_BYTES = 0xffff - 2;

/** A card profile the card cannot be made from; the message is one plain sentence. */
export class CardProfileError extends Error {
  override readonly name = 'CardProfileError';
}

const Tags = {
  chuid: '5FC102',
  authCert: '5FC105',
  careRoles: '5FFF10',
  discovery: '7E',
} as const;

const OBJECT_NAMES: Record<string, string> = {
  [Tags.chuid]: 'CHUID',
  [Tags.authCert]: 'certificate object',
  [Tags.careRoles]: 'care-roles object',
};

const SW = {
  ok: 0x9000,
  wrongLength: 0x6700,
  securityNotSatisfied: 0x6982,
  blocked: 0x6983,
  conditionsNotSatisfied: 0x6985,
  wrongData: 0x6a80,
  notFound: 0x6a82,
  wrongP1P2: 0x6a86,
  refDataNotFound: 0x6a88,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
  noDiagnosis: 0x6f00,
} as const;

/** A fixed "non-federal issuer" FASC-N (all nines agency), as test PIV cards carry. */
const FASC_N = Buffer.from('D4E739DA739CED39CE739D836858210842108421C84210C3EB', 'hex');

function sw(code: number, data: Uint8Array = Buffer.alloc(0)): Buffer {
  return Buffer.concat([data, Buffer.from([code >> 8, code & 0xff])]);
}

interface Chain {
  ins: number;
  p1: number;
  p2: number;
  parts: Buffer[];
}

export class VirtualPivCard {
  /** The private scalar of the PIV Authentication key (slot 9A). */
  private readonly secret: Uint8Array;
  private readonly objects = new Map<string, Buffer>();
  private readonly atrBytes: Buffer;
  private powered = false;
  private pinVerified = false;
  private triesLeft: number;
  private pending: Buffer | null = null;
  private chain: Chain | null = null;

  constructor(
    private readonly profile: CardProfile,
    private readonly faults: CardFaults = {},
    private readonly options: CardOptions = {},
  ) {
    const key: KeyObject = faults.wrongKey
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      : createPrivateKey({ key: Buffer.from(profile.authKey, 'base64'), format: 'der', type: 'pkcs8' });
    const kd = key.asymmetricKeyDetails;
    const d = key.export({ format: 'jwk' }).d;
    if (key.asymmetricKeyType !== 'ec' || kd?.namedCurve !== 'prime256v1' || !d) {
      throw new CardProfileError('the card key (authKey) is not an EC P-256 key');
    }
    this.secret = Buffer.from(d, 'base64url');
    this.triesLeft = Math.max(0, Math.min(MAX_PIN_TRIES, options.triesLeft ?? MAX_PIN_TRIES));
    this.atrBytes = Buffer.from(profile.atr, 'hex');
    this.objects.set(
      Tags.chuid,
      tlv(
        '53',
        tlv('30', FASC_N),
        tlv('34', Buffer.from(profile.cardGuid, 'hex')),
        tlv('35', Buffer.from(profile.chuidExpiry, 'ascii')),
        tlv('3E'),
        tlv('FE'),
      ),
    );
    this.objects.set(
      Tags.authCert,
      tlv(
        '53',
        tlv('70', Buffer.from(profile.authCertDer, 'base64')),
        tlv('71', Buffer.from([0])),
        tlv('FE'),
      ),
    );
    if (profile.rolesCmsDer) {
      this.objects.set(Tags.careRoles, tlv('53', Buffer.from(profile.rolesCmsDer, 'base64')));
    }
    // Discovery object: PIV AID, PIN usage policy "application PIN only".
    this.objects.set(Tags.discovery, tlv('7E', tlv('4F', PIV_AID), tlv('5F2F', Buffer.from([0x40, 0x00]))));
    for (const [tag, obj] of this.objects) {
      if (obj.length > MAX_OBJECT_BYTES)
        throw new CardProfileError(
          `the ${OBJECT_NAMES[tag] ?? `object ${tag}`} is ${obj.length.toLocaleString('en-GB')} bytes; ` +
            `a card object holds at most ${MAX_OBJECT_BYTES.toLocaleString('en-GB')} bytes`,
        );
    }
    if (faults.malformed) this.breakObject(faults.malformed.toUpperCase());
    if (faults.trailing) this.addTrailingBytes(faults.trailing.toUpperCase());
  }

  atr(): Buffer {
    return Buffer.from(this.atrBytes);
  }

  /** PIN tries left (for tests and for persisting). */
  pinTriesLeft(): number {
    return this.triesLeft;
  }

  powerOn(): void {
    this.powered = true;
    this.clearVolatile();
  }

  powerOff(): void {
    this.powered = false;
    this.clearVolatile();
  }

  reset(): void {
    this.powered = true;
    this.clearVolatile();
  }

  /** Processes one command APDU and returns the response (data + SW1 SW2). */
  transmit(apdu: Uint8Array): Buffer {
    if (!this.powered) return sw(SW.noDiagnosis);
    const cmd = parseCommandApdu(apdu);
    if (!cmd) return sw(SW.wrongLength);
    if (cmd.ins === 0xc0) return this.getResponse(cmd);
    this.pending = null;

    if ((cmd.cla & 0xef) !== 0x00) return sw(SW.claNotSupported);
    if (cmd.cla & 0x10) return this.chainPart(cmd);
    if (this.chain) {
      const c = this.chain;
      this.chain = null;
      if (c.ins !== cmd.ins || c.p1 !== cmd.p1 || c.p2 !== cmd.p2) return sw(SW.conditionsNotSatisfied);
      cmd.data = Buffer.concat([...c.parts, cmd.data]);
    }

    const point = this.faultPointOf(cmd.ins);
    if (point && this.faults.status6F00 === point) return sw(SW.noDiagnosis);
    if (point && this.faults.garbage === point) return garbage();

    const answer = this.dispatch(cmd);
    return this.chunk(answer.data, answer.sw, cmd.le);
  }

  /** Like transmit, for a link that can also hold the answer back (the stall faults). */
  reply(apdu: Uint8Array): CardReply {
    const point = this.powered && apdu.length >= 4 ? this.faultPointOf(apdu[1] as number) : null;
    if (point && this.faults.stall === point) return { kind: 'silence' };
    const response = this.transmit(apdu);
    if (point && this.faults.halfFrame === point) return { kind: 'half-frame', response };
    return { kind: 'answer', response };
  }

  private dispatch(cmd: CommandApdu): { data: Buffer; sw: number } {
    const none = Buffer.alloc(0);
    const only = (code: number) => ({ data: none, sw: code });
    switch (cmd.ins) {
      case 0xa4:
        return this.select(cmd);
      case 0xcb:
        return this.getData(cmd);
      case 0x20:
        return only(this.verify(cmd));
      case 0x87:
        return this.generalAuthenticate(cmd);
      default:
        return only(SW.insNotSupported);
    }
  }

  private select(cmd: CommandApdu): { data: Buffer; sw: number } {
    if (cmd.p1 !== 0x04) return { data: Buffer.alloc(0), sw: SW.notFound };
    const aid = cmd.data;
    // Accept the full AID, the 9-byte form with the version, or a right-truncated prefix (partial selection).
    const matches =
      aid.length >= 5 && aid.length <= PIV_AID.length && PIV_AID.subarray(0, aid.length).equals(aid);
    if (!matches) return { data: Buffer.alloc(0), sw: SW.notFound };
    const apt = tlv(
      '61',
      tlv('4F', PIV_AID.subarray(5)),
      tlv('79', tlv('4F', PIV_AID_SELECT.subarray(0, 5))),
      tlv('50', Buffer.from('Stethoscope virtual PIV', 'ascii')),
      tlv('AC', tlv('80', Buffer.from([0x11])), tlv('06', Buffer.from([0x00]))),
    );
    return { data: apt, sw: SW.ok };
  }

  private getData(cmd: CommandApdu): { data: Buffer; sw: number } {
    if (cmd.p1 !== 0x3f || cmd.p2 !== 0xff) return { data: Buffer.alloc(0), sw: SW.wrongP1P2 };
    let tag: string;
    try {
      const list = findTlv(parseTlvs(cmd.data), '5C');
      if (!list || list.value.length < 1 || list.value.length > 3)
        return { data: Buffer.alloc(0), sw: SW.wrongData };
      tag = list.value.toString('hex').toUpperCase();
    } catch {
      return { data: Buffer.alloc(0), sw: SW.wrongData };
    }
    const obj = this.objects.get(tag);
    if (!obj) return { data: Buffer.alloc(0), sw: SW.notFound };
    return { data: obj, sw: SW.ok };
  }

  private verify(cmd: CommandApdu): number {
    if (cmd.p1 === 0xff && cmd.data.length === 0) {
      // SP 800-73-4: VERIFY with P1 = FF resets the PIN's security status.
      this.pinVerified = false;
      return SW.ok;
    }
    if (cmd.p1 !== 0x00) return SW.wrongP1P2;
    if (cmd.p2 !== 0x80) return SW.refDataNotFound;
    if (cmd.data.length === 0) {
      if (this.triesLeft === 0) return SW.blocked;
      return this.pinVerified ? SW.ok : 0x63c0 | this.triesLeft;
    }
    if (cmd.data.length !== 8) return SW.wrongLength;
    if (this.triesLeft === 0) return SW.blocked;
    if (cmd.data.equals(padPin(this.profile.pin))) {
      this.pinVerified = true;
      this.setTries(MAX_PIN_TRIES);
      return SW.ok;
    }
    this.pinVerified = false;
    this.setTries(this.triesLeft - 1);
    return this.triesLeft === 0 ? SW.blocked : 0x63c0 | this.triesLeft;
  }

  private generalAuthenticate(cmd: CommandApdu): { data: Buffer; sw: number } {
    const none = Buffer.alloc(0);
    if (cmd.p1 !== 0x11) return { data: none, sw: SW.wrongP1P2 };
    if (cmd.p2 !== 0x9a) return { data: none, sw: SW.refDataNotFound };
    let challenge: Buffer | undefined;
    try {
      const outer = parseTlvs(cmd.data);
      const template = findTlv(outer, '7C');
      if (!template) return { data: none, sw: SW.wrongData };
      const inner = parseTlvs(template.value);
      const response = findTlv(inner, '82');
      challenge = findTlv(inner, '81')?.value;
      if (!response || response.value.length !== 0 || !challenge) return { data: none, sw: SW.wrongData };
    } catch {
      return { data: none, sw: SW.wrongData };
    }
    if (challenge.length !== 32) return { data: none, sw: SW.wrongData };
    if (!this.pinVerified) return { data: none, sw: SW.securityNotSatisfied };
    // The challenge is the digest: signed as given, not hashed again (prehash: false).
    const signature = p256.sign(challenge, this.secret, {
      prehash: false,
      format: 'der',
      extraEntropy: true,
    });
    return { data: tlv('7C', tlv('82', signature)), sw: SW.ok };
  }

  private getResponse(cmd: CommandApdu): Buffer {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return sw(SW.wrongP1P2);
    const rest = this.pending;
    this.pending = null;
    if (!rest) return sw(SW.conditionsNotSatisfied);
    return this.chunk(rest, SW.ok, cmd.le);
  }

  /**
   * Response chaining: at most Le bytes now (256 when absent), `61xx` says how much is left. An extended Le
   * (up to 65536) takes a whole object in one answer.
   */
  private chunk(data: Buffer, status: number, le: number): Buffer {
    const max = le > 0 ? le : 256;
    if (data.length <= max) return sw(status, data);
    const rest = data.subarray(max);
    this.pending = Buffer.from(rest);
    return sw(0x6100 | (rest.length > 0xff ? 0 : rest.length), data.subarray(0, max));
  }

  /** Command chaining (CLA 10): keep the part and answer 9000 until the last command (CLA 00). */
  private chainPart(cmd: CommandApdu): Buffer {
    const c = this.chain;
    if (c && (c.ins !== cmd.ins || c.p1 !== cmd.p1 || c.p2 !== cmd.p2)) {
      this.chain = null;
      return sw(SW.conditionsNotSatisfied);
    }
    if (c) c.parts.push(Buffer.from(cmd.data));
    else this.chain = { ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, parts: [Buffer.from(cmd.data)] };
    return sw(SW.ok);
  }

  private faultPointOf(ins: number): FaultPoint | null {
    switch (ins) {
      case 0xa4:
        return 'select';
      case 0xcb:
        return 'get-data';
      case 0x20:
        return 'verify';
      case 0x87:
        return 'general-authenticate';
      default:
        return null;
    }
  }

  private breakObject(tag: string): void {
    const obj = this.objects.get(tag);
    if (!obj) throw new Error(`CardFaults.malformed: no object ${tag} on this card`);
    // Keep the outer tag and the full declared length, but cut the value in half: a truncated TLV.
    const inner = parseTlvs(obj)[0];
    if (!inner) throw new Error(`CardFaults.malformed: object ${tag} is empty`);
    const tagBytes = Buffer.from(inner.tag, 'hex');
    const len = inner.value.length + 16;
    const broken = Buffer.concat([
      tagBytes,
      Buffer.from([0x82, len >> 8, len & 0xff]),
      inner.value.subarray(0, inner.value.length >> 1),
    ]);
    this.objects.set(tag, broken);
  }

  private addTrailingBytes(tag: string): void {
    const obj = this.objects.get(tag);
    const inner = obj ? parseTlvs(obj)[0] : undefined;
    if (!inner) throw new Error(`CardFaults.trailing: no object ${tag} on this card`);
    this.objects.set(tag, tlv(inner.tag, inner.value, Buffer.from([0x90, 0x00])));
  }

  private setTries(n: number): void {
    if (n === this.triesLeft) return;
    this.triesLeft = n;
    this.options.onTriesChanged?.(n);
  }

  private clearVolatile(): void {
    this.pinVerified = false;
    this.pending = null;
    this.chain = null;
  }
}

/** PIN as ASCII digits padded with FF to 8 bytes (SP 800-73-4 part 2). */
export function padPin(pin: string): Buffer {
  const out = Buffer.alloc(8, 0xff);
  out.write(pin, 0, 'ascii');
  return out;
}

/** Random bytes whose last two bytes are not a status word (SW1 is never 6x or 9x). */
function garbage(): Buffer {
  const out = randomBytes(5 + ((randomBytes(1)[0] as number) % 16));
  out[out.length - 2] = (out[out.length - 2] as number) % 0x60;
  return out;
}
