/**
 * The ATNA transport's chunker: a batch's RFC 5425 frames handed out one write-sized chunk at a time, as the
 * socket drains. Every frame whole and in order, none split between chunks, damaged events refused for good.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../../src-main/audit/events/build';
import { canonicalJson } from '../../../../src-main/audit/events/canonical';
import { FrameChunks } from '../../../../src-main/audit/shipping/atna/atna-transport';
import { formatSyslogMessage, frame } from '../../../../src-main/audit/shipping/atna/syslog-message';
import type { OutboxItem } from '../../../../src-main/audit/types';

const info = { hostname: 'WS-1', procId: '4242' };
const actor = { userId: '555000000017', urid: '555000000017001', orgCode: 'X99TS', workstationId: 'WS-1' };

function item(seq: number, reasonText = 'Unconscious'): OutboxItem {
  const uuid = randomUUID();
  const recorded = '2026-11-24T19:00:00.123Z';
  const json = canonicalJson(
    buildAuditEvent(
      { kind: 'emergency-override', actor, patient: { nhsNumber: '9990000018' }, reasonCode: 5, reasonText },
      { uuid, recorded, machineName: 'host-1' },
    ),
  );
  return { seq, uuid, priority: 1, recordedAt: recorded, json, jsonBytes: Buffer.from(json, 'utf8') };
}

/** Every chunk until null. */
function drain(chunks: FrameChunks): Buffer[] {
  const out: Buffer[] = [];
  for (let c = chunks.next(); c !== null; c = chunks.next()) out.push(c);
  return out;
}

/** Splits an octet-counted stream back into its frames' messages; fails on a frame cut short. */
function messages(stream: Buffer): string[] {
  const out: string[] = [];
  let off = 0;
  while (off < stream.length) {
    const sp = stream.indexOf(0x20, off);
    const len = Number(stream.toString('latin1', off, sp));
    expect(sp + 1 + len).toBeLessThanOrEqual(stream.length);
    out.push(stream.toString('utf8', sp + 1, sp + 1 + len));
    off = sp + 1 + len;
  }
  return out;
}

describe('FrameChunks', () => {
  it('hands out every frame whole and in order, in chunks of about the chunk size, none split', () => {
    // Multi-byte text makes frame sizes differ from character counts.
    const items = Array.from({ length: 40 }, (_, i) => item(i + 1, `Unconscious ${'é☃'.repeat(i)}`));
    const chunker = new FrameChunks(items, info, 'ATNA test', 8_000);
    const chunks = drain(chunker);

    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(8_000);
      // Each chunk is whole frames: it parses on its own.
      expect(messages(c).length).toBeGreaterThan(0);
    }
    const expected = items.map((i) => frame(formatSyslogMessage(i, info)));
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat(expected));
    expect(chunker.seqs).toEqual(items.map((i) => i.seq));
    expect(chunker.rejected).toEqual([]);
    expect(chunker.next()).toBeNull();
  });

  it('gives a frame larger than the chunk size a chunk of its own', () => {
    const items = [item(1), item(2, 'x'.repeat(20_000)), item(3)];
    const chunks = drain(new FrameChunks(items, info, 'ATNA test', 4_000));
    expect(chunks.map((c) => messages(c).length)).toEqual([1, 1, 1]);
    expect(chunks[1]!.length).toBeGreaterThan(20_000);
  });

  it('refuses a damaged event for good and frames the others', () => {
    const good = [item(1), item(3)];
    const damaged = item(2);
    const bytes = Buffer.from(damaged.jsonBytes!);
    bytes[10] = 0xff; // not UTF-8
    const notAnEvent = {
      ...item(4),
      json: '{"resourceType":"Patient"}',
      jsonBytes: Buffer.from('{"resourceType":"Patient"}'),
    };
    const items = [good[0]!, { ...damaged, jsonBytes: bytes }, good[1]!, notAnEvent];
    const chunker = new FrameChunks(items, info, 'ATNA test');

    const stream = Buffer.concat(drain(chunker));
    expect(stream).toEqual(Buffer.concat(good.map((i) => frame(formatSyslogMessage(i, info)))));
    expect(chunker.seqs).toEqual([1, 3]);
    expect(chunker.rejected.map((r) => r.seq)).toEqual([2, 4]);
    expect(chunker.rejected[0]!.error).toMatch(/ATNA test: event .+: queued event is not valid UTF-8/);
    expect(chunker.rejected[1]!.error).toMatch(/not a FHIR AuditEvent/);
  });

  it('returns null at once for a batch of nothing but damaged events', () => {
    const bad = { ...item(1), json: 'not json', jsonBytes: Buffer.from('not json') };
    const chunker = new FrameChunks([bad], info, 'ATNA test');
    expect(chunker.next()).toBeNull();
    expect(chunker.rejected.map((r) => r.seq)).toEqual([1]);
  });
});
