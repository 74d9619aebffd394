/**
 * APDU encoding and chaining in both directions: CLA 10 command chains for long data, and 61xx answers fetched
 * with GET RESPONSE until 9000. The card side here is a small scripted responder that records what it received.
 */
import { describe, expect, it } from 'vitest';
import { chainCommand, encodeApdu } from '../../../src-main/card/piv/apdu';
import { PivClient } from '../../../src-main/card/piv/client';
import { CardUnreadableError } from '../../../src-main/card/piv/errors';
import { CardRemovedError, TransportError } from '../../../src-main/card/transport/types';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Answers from a queue and keeps every APDU it was sent. */
function scripted(answers: Buffer[]) {
  const sent: Buffer[] = [];
  const transmit = async (apdu: Buffer) => {
    sent.push(Buffer.from(apdu));
    const next = answers.shift();
    if (!next) throw new Error(`unexpected APDU ${apdu.toString('hex')}`);
    return next;
  };
  return { sent, transmit };
}

describe('encodeApdu', () => {
  it('encodes the four cases', () => {
    expect(encodeApdu({ ins: 0x20, p1: 0, p2: 0x80 })).toEqual(hex('00 20 00 80'));
    expect(encodeApdu({ ins: 0xc0, p1: 0, p2: 0, le: 0x10 })).toEqual(hex('00 C0 00 00 10'));
    expect(encodeApdu({ ins: 0x20, p1: 0, p2: 0x80, data: hex('3132') })).toEqual(hex('00 20 00 80 02 3132'));
    expect(encodeApdu({ ins: 0xa4, p1: 4, p2: 0, data: hex('A0'), le: 0 })).toEqual(
      hex('00 A4 04 00 01 A0 00'),
    );
    expect(() => encodeApdu({ ins: 0xdb, p1: 0x3f, p2: 0xff, data: Buffer.alloc(256) })).toThrow(RangeError);
  });
});

describe('chainCommand', () => {
  it('leaves short commands alone', () => {
    expect(chainCommand({ ins: 0x87, p1: 0x11, p2: 0x9a, data: Buffer.alloc(255, 1), le: 0 })).toHaveLength(
      1,
    );
  });

  it('splits 600 bytes into 255 + 255 + 90 with CLA 10 on all but the last, Le only on the last', () => {
    const data = Buffer.from(Array.from({ length: 600 }, (_, i) => i & 0xff));
    const parts = chainCommand({ ins: 0xdb, p1: 0x3f, p2: 0xff, data, le: 0 });
    expect(parts.map((p) => p[0])).toEqual([0x10, 0x10, 0x00]);
    expect(parts.map((p) => p[4])).toEqual([255, 255, 90]);
    expect(parts[0]!.length).toBe(5 + 255);
    expect(parts[2]!.length).toBe(5 + 90 + 1);
    expect(Buffer.concat(parts.map((p) => p.subarray(5, 5 + p[4]!))).equals(data)).toBe(true);
  });
});

describe('PivClient.send', () => {
  it('follows 61xx with GET RESPONSE until 9000 and joins the data', async () => {
    const card = scripted([hex('0102 6103'), hex('030405 6102'), hex('0607 9000')]);
    const res = await new PivClient(card.transmit).send({
      ins: 0xcb,
      p1: 0x3f,
      p2: 0xff,
      data: hex('5C035FC102'),
      le: 0,
    });
    expect(res.sw).toBe(0x9000);
    expect(res.data).toEqual(hex('01020304050607'));
    expect(card.sent.slice(1)).toEqual([hex('00C0000003'), hex('00C0000002')]);
  });

  it('treats 6100 as "256 more bytes" and asks with Le 00', async () => {
    const card = scripted([hex('6100'), Buffer.concat([Buffer.alloc(256, 7), hex('9000')])]);
    const res = await new PivClient(card.transmit).send({ ins: 0xcb, p1: 0x3f, p2: 0xff, le: 0 });
    expect(res.data.length).toBe(256);
    expect(card.sent[1]).toEqual(hex('00C0000000'));
  });

  it('sends a chained command and stops the chain on an error status', async () => {
    const ok = scripted([hex('9000'), hex('9000'), hex('AA 9000')]);
    const res = await new PivClient(ok.transmit).send({
      ins: 0xdb,
      p1: 0x3f,
      p2: 0xff,
      data: Buffer.alloc(600),
      le: 0,
    });
    expect(res).toEqual({ data: hex('AA'), sw: 0x9000 });
    expect(ok.sent).toHaveLength(3);
    const bad = scripted([hex('6A80')]);
    const res2 = await new PivClient(bad.transmit).send({
      ins: 0xdb,
      p1: 0x3f,
      p2: 0xff,
      data: Buffer.alloc(600),
    });
    expect(res2.sw).toBe(0x6a80);
    expect(bad.sent).toHaveLength(1);
  });

  it('re-sends with the Le the card asked for after 6Cxx', async () => {
    const card = scripted([hex('6C05'), hex('0102030405 9000')]);
    const res = await new PivClient(card.transmit).send({ ins: 0xca, p1: 0, p2: 0, le: 0 });
    expect(res.data.length).toBe(5);
    expect(card.sent[1]).toEqual(hex('00CA000005'));
  });

  it('refuses an answer shorter than a status word', async () => {
    const card = scripted([hex('90')]);
    await expect(new PivClient(card.transmit).send({ ins: 0xa4, p1: 4, p2: 0 })).rejects.toThrow(
      CardUnreadableError,
    );
  });

  it('refuses a card that never stops chaining', async () => {
    const endless = async () => Buffer.concat([Buffer.alloc(255), hex('61FF')]);
    await expect(new PivClient(endless).send({ ins: 0xcb, p1: 0x3f, p2: 0xff, le: 0 })).rejects.toThrow(
      /more data/,
    );
  });
});

describe('PivClient commands', () => {
  it('maps VERIFY status words to tries left and blocked', async () => {
    const card = scripted([hex('63C2'), hex('63C1'), hex('6983'), hex('9000'), hex('63C0')]);
    const piv = new PivClient(card.transmit);
    expect(await piv.pinState()).toEqual({ state: 'not-verified', triesLeft: 2 });
    expect(await piv.verifyPin('123456')).toEqual({ ok: false, blocked: false, triesLeft: 1 });
    expect(await piv.verifyPin('123456')).toEqual({ ok: false, blocked: true });
    expect(await piv.verifyPin('12345678')).toEqual({ ok: true });
    expect(await piv.pinState()).toEqual({ state: 'blocked' });
    expect(card.sent[0]).toEqual(hex('00 20 00 80'));
    expect(card.sent[1]).toEqual(hex('00 20 00 80 08 313233343536FFFF'));
  });

  it('refuses GET DATA answers that are not exactly one 53 object, and unexpected status words', async () => {
    const piv = (a: string) => new PivClient(scripted([hex(a)]).transmit);
    await expect(piv('53 02 0102 00 9000').getData(0x5fc102)).rejects.toThrow(CardUnreadableError);
    await expect(piv('6F00').getData(0x5fc102)).rejects.toThrow(/6F00/);
    expect(await piv('6A82').getData(0x5fff10)).toBeNull();
    expect(await piv('53 02 0102 9000').getData(0x5fc102)).toEqual(hex('0102'));
  });

  it('builds GENERAL AUTHENTICATE with the 32-byte challenge and parses the 7C answer', async () => {
    const card = scripted([hex('7C 05 82 03 300102 9000')]);
    const challenge = Buffer.alloc(32, 0x5a);
    const sig = await new PivClient(card.transmit).generalAuthenticate(challenge);
    expect(sig).toEqual(hex('300102'));
    expect(card.sent[0]!.subarray(0, 9)).toEqual(hex('00 87 11 9A 26 7C 24 82 00'));
    expect(card.sent[0]!.subarray(9, 11)).toEqual(hex('81 20'));
    expect(card.sent[0]!.subarray(11, 43)).toEqual(challenge);
    expect(card.sent[0]![43]).toBe(0x00);
  });
});

describe('extended length', () => {
  it('encodes cases 2 to 4 with two-byte Lc and Le', () => {
    expect(
      encodeApdu({ ins: 0xcb, p1: 0x3f, p2: 0xff, data: hex('5C035FC105'), le: 0, extended: true }),
    ).toEqual(hex('00 CB 3F FF 00 00 05 5C035FC105 00 00'));
    expect(encodeApdu({ ins: 0xc0, p1: 0, p2: 0, le: 0x1234, extended: true })).toEqual(
      hex('00 C0 00 00 00 12 34'),
    );
    expect(encodeApdu({ ins: 0xdb, p1: 0x3f, p2: 0xff, data: Buffer.alloc(300, 1), extended: true })).toEqual(
      Buffer.concat([hex('00 DB 3F FF 00 01 2C'), Buffer.alloc(300, 1)]),
    );
    expect(() => encodeApdu({ ins: 0xdb, p1: 0, p2: 0, data: Buffer.alloc(65536), extended: true })).toThrow(
      RangeError,
    );
  });

  it('GET DATA asks for the whole object in one extended APDU when the card takes them', async () => {
    const object = Buffer.concat([hex('53 82 01 2C'), Buffer.alloc(300, 9)]);
    const card = scripted([Buffer.concat([object, hex('9000')])]);
    const piv = new PivClient(card.transmit, { extendedLength: true });
    expect(await piv.getData(0x5fc105)).toEqual(Buffer.alloc(300, 9));
    expect(card.sent).toEqual([hex('00 CB 3F FF 00 00 05 5C035FC105 00 00')]);
  });

  it('a card that claims extended length but answers 6700 is asked the short way, from then on', async () => {
    const card = scripted([hex('6700'), hex('53 02 0102 9000'), hex('53 01 07 9000')]);
    const piv = new PivClient(card.transmit, { extendedLength: true });
    expect(await piv.getData(0x5fc102)).toEqual(hex('0102'));
    expect(await piv.getData(0x5fc105)).toEqual(hex('07'));
    expect(card.sent.map((a) => a.toString('hex').toUpperCase())).toEqual([
      '00CB3FFF0000055C035FC1020000',
      '00CB3FFF055C035FC10200',
      '00CB3FFF055C035FC10500',
    ]);
  });

  it('a reader that cannot pass extended APDUs fails the exchange: asked the short way, a removal still throws', async () => {
    let calls = 0;
    const limited = async (apdu: Buffer) => {
      calls++;
      if (apdu[4] === 0x00 && apdu.length > 5)
        throw new TransportError('SCardTransmit: not transacted', 0x80100016);
      return hex('53 01 07 9000');
    };
    const piv = new PivClient(limited, { extendedLength: true });
    expect(await piv.getData(0x5fc105)).toEqual(hex('07'));
    expect(await piv.getData(0x5fc102)).toEqual(hex('07'));
    expect(calls).toBe(3);
    const gone = new PivClient(
      async () => {
        throw new CardRemovedError('The card was removed.');
      },
      { extendedLength: true },
    );
    await expect(gone.getData(0x5fc105)).rejects.toThrow(CardRemovedError);
  });
});
