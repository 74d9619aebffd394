/**
 * The write path inside one transaction: chain each prepared event onto the head, store it, queue it for every
 * transport, and add a signed checkpoint when one is due. Works on a copy of the head so a rolled-back
 * transaction leaves the caller's state untouched.
 */
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../events/canonical';
import { buildCheckpointEvent, statementBytes, type CheckpointStatement } from '../events/checkpoint';
import { PRIORITY_CHECKPOINT } from '../events/priority';
import type { AuditReceipt, TransportName } from '../types';
import { chainHash } from './chain';
import { AuditTamperError } from './tamper';
import type { AuditRepository } from './repository';
import { signStatement, type WorkstationKey } from './workstation-key';

/** An event already built and canonicalised, ready to chain. */
export interface PreparedEvent {
  uuid: string;
  recorded: string;
  json: string;
  priority: number;
}

export interface ChainState {
  seq: number;
  hash: Buffer;
  /** seq of the newest checkpoint event (0 when none). */
  lastCheckpointSeq: number;
}

export interface AppendContext {
  repo: AuditRepository;
  key: WorkstationKey;
  workstationId: string;
  machineName: string;
  transports: readonly TransportName[];
  checkpointEvery: number;
  nowIso: () => string;
}

/**
 * Stores and queues one event, and checks both landed: a trigger that is not ours could make an INSERT do nothing
 * (RAISE(IGNORE)) while the statement still succeeds. The schema check on every write should stop that first;
 * this is the second lock, and costs nothing (the counts come back with the statements).
 */
function appendOne(ctx: AppendContext, state: ChainState, ev: PreparedEvent): AuditReceipt {
  state.seq += 1;
  state.hash = chainHash(state.hash, ev.json);
  const row = ctx.repo.insertEvent(state.seq, ev.uuid, ev.recorded, ev.json, state.hash);
  if (row.changes !== 1 || Number(row.lastInsertRowid) !== state.seq) {
    throw new AuditTamperError(
      `audit event ${state.seq} did not land (${row.changes} rows written): something in the database drops appends`,
    );
  }
  const queued = ctx.repo.queueForAll(ctx.transports, state.seq, ev.priority);
  if (queued !== ctx.transports.length) {
    throw new AuditTamperError(
      `audit event ${state.seq} was queued for ${queued} of ${ctx.transports.length} transports: something in the database drops outbox rows`,
    );
  }
  return { seq: state.seq, uuid: ev.uuid };
}

/**
 * A checkpoint AuditEvent signing "the log had `state.seq` events with head hash `state.hash`", as canonical JSON.
 * The log appends these; the head file (`head-file.ts`) holds the newest one outside the database.
 */
export function signedCheckpointJson(
  ctx: Pick<AppendContext, 'key' | 'workstationId' | 'machineName'>,
  state: Pick<ChainState, 'seq' | 'hash'>,
  recorded: string,
): { uuid: string; json: string } {
  const statement: CheckpointStatement = {
    v: 1,
    workstationId: ctx.workstationId,
    seq: state.seq,
    headHash: state.hash.toString('hex'),
    at: recorded,
  };
  const statementJson = statementBytes(statement);
  const event = buildCheckpointEvent(
    {
      statement,
      statementJson,
      signature: signStatement(ctx.key, statementJson),
      keyId: ctx.key.keyId,
      publicKey: ctx.key.spki.toString('base64'),
    },
    { uuid: randomUUID(), recorded, machineName: ctx.machineName },
  );
  return { uuid: event.id, json: canonicalJson(event) };
}

function appendCheckpoint(ctx: AppendContext, state: ChainState): AuditReceipt & { json: string } {
  const recorded = ctx.nowIso();
  const { uuid, json } = signedCheckpointJson(ctx, state, recorded);
  const coveredHash = state.hash;
  const receipt = appendOne(ctx, state, { uuid, recorded, json, priority: PRIORITY_CHECKPOINT });
  if (ctx.repo.insertCheckpoint(receipt.seq, receipt.seq - 1, coveredHash) !== 1) {
    throw new AuditTamperError(`checkpoint ${receipt.seq} did not land in the checkpoint index`);
  }
  state.lastCheckpointSeq = receipt.seq;
  return { ...receipt, json };
}

/**
 * Appends `events` (and checkpoints as they fall due; one more at the end when `forceCheckpoint`). Must run inside
 * a transaction. Returns the new state, the receipts of `events` (plus the forced checkpoint's, last), and the
 * JSON of the last checkpoint appended (null when none was).
 */
export function appendEvents(
  ctx: AppendContext,
  start: ChainState,
  events: readonly PreparedEvent[],
  forceCheckpoint: boolean,
): { state: ChainState; receipts: AuditReceipt[]; checkpointJson: string | null } {
  const state: ChainState = { ...start };
  const receipts: AuditReceipt[] = [];
  let checkpointJson: string | null = null;
  for (const ev of events) {
    receipts.push(appendOne(ctx, state, ev));
    if (state.seq - state.lastCheckpointSeq >= ctx.checkpointEvery)
      checkpointJson = appendCheckpoint(ctx, state).json;
  }
  if (forceCheckpoint) {
    const cp = appendCheckpoint(ctx, state);
    receipts.push({ seq: cp.seq, uuid: cp.uuid });
    checkpointJson = cp.json;
  }
  return { state, receipts, checkpointJson };
}
