/**
 * The asynchronous record boundary: a lock, a patient change or a sign-out aborts what is in flight and its answer
 * is dropped; every request of one encounter carries that encounter's id; the facts are fetched once.
 */
import { describe, expect, it } from 'vitest';
import { codeOf, harness } from '../../support/records/harness';

function deferred() {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('cancellation and correlation', () => {
  it('a lock while the SCR is being fetched aborts the request and drops its answer', async () => {
    const t = harness();
    t.signIn();
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    await t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs });
    const slow = deferred();
    t.source.gate = slow.promise;
    const read = codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }));
    await Promise.resolve();
    const inFlight = t.source.contexts.at(-1)!;
    t.session.emit('locked');
    expect(inFlight.signal.aborted).toBe(true);
    slow.open();
    expect(await read).toBe('conflict');
    expect(t.audit.entries.filter((e) => e.kind === 'record-read')).toEqual([]);
  });

  it('changing patient aborts the first patient’s requests', async () => {
    const t = harness();
    t.signIn();
    const slow = deferred();
    t.source.gate = slow.promise;
    const first = codeOf(() => t.h['encounter.open']({ nhsNumber: t.nhs }));
    await Promise.resolve();
    const firstCtx = t.source.contexts.at(-1)!;
    t.source.gate = null;
    await t.h['encounter.open']({ nhsNumber: t.other });
    expect(firstCtx.signal.aborted).toBe(true);
    slow.open();
    expect(await first).toBe('conflict');
  });

  it('a search in flight at sign-out is aborted', async () => {
    const t = harness();
    t.signIn();
    const slow = deferred();
    t.source.gate = slow.promise;
    const search = codeOf(() => t.h['patients.search']({ kind: 'nhs-number', nhsNumber: t.nhs }));
    await Promise.resolve();
    const ctx = t.source.contexts.at(-1)!;
    t.session.emit('signed-out');
    expect(ctx.signal.aborted).toBe(true);
    slow.open();
    expect(await search).toBe('conflict');
  });

  it('every request of an encounter carries its id; the facts are fetched once; a new encounter has a new id', async () => {
    const t = harness();
    t.signIn();
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    await t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs });
    await t.h['record.scr']({ nhsNumber: t.nhs });
    await t.h['record.mig']({ nhsNumber: t.nhs });
    const ids = new Set(t.source.contexts.map((c) => c.correlationId));
    expect(ids.size).toBe(1);
    // Patient, care organisations and preferences once (the second open reuses them); then the items per read.
    expect(t.source.contexts.length).toBe(5);
    await t.h['encounter.open']({ nhsNumber: t.other });
    expect(t.source.contexts.at(-1)!.correlationId).not.toBe([...ids][0]);
  });
});
