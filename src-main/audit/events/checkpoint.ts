/**
 * The checkpoint as an AuditEvent: "this log had `seq` events with head hash `headHash` at `at`", signed with the
 * workstation key. It is chained and queued like any other event, so every transport delivers it with no extra
 * record type, and a FHIR or ATNA repository that keeps AuditEvents keeps the checkpoints with them.
 * The signed bytes are the canonical JSON statement carried verbatim in entity.detail, so a verifier checks the
 * exact bytes that were signed rather than a re-encoding.
 */
import { z } from 'zod';
import { canonicalJson } from './canonical';
import { codes, WORKSTATION_ID } from './codes';
import type { AuditEvent } from './fhir';
import { source, workstationAgent, type BuildContext } from './parts';

export const CheckpointStatement = z
  .object({
    v: z.literal(1),
    workstationId: z.string().min(1),
    /** Sequence number of the last event covered. */
    seq: z.number().int().min(0),
    /** Hex SHA-256 chain hash of that event (64 zeros when seq is 0). */
    headHash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string(),
  })
  .strict();
export type CheckpointStatement = z.infer<typeof CheckpointStatement>;

export interface SignedCheckpoint {
  statement: CheckpointStatement;
  /** The exact bytes signed: canonical JSON of the statement. */
  statementJson: string;
  /** ECDSA P-256 / SHA-256 signature, DER, base64. */
  signature: string;
  /** Hex SHA-256 of the public key's SPKI DER. */
  keyId: string;
  /** SPKI DER, base64, so a receiver can pin the key on first sight. */
  publicKey: string;
}

export function statementBytes(statement: CheckpointStatement): string {
  return canonicalJson(statement);
}

export function buildCheckpointEvent(cp: SignedCheckpoint, ctx: BuildContext): AuditEvent {
  const actor = { workstationId: cp.statement.workstationId };
  return {
    resourceType: 'AuditEvent',
    id: ctx.uuid,
    recorded: ctx.recorded,
    type: codes.applicationActivity,
    subtype: [codes.checkpoint],
    action: 'E',
    outcome: '0',
    outcomeDesc: `Audit log checkpoint at sequence ${cp.statement.seq}`,
    agent: [workstationAgent(actor, ctx)],
    source: source(actor),
    entity: [
      {
        what: { identifier: { system: WORKSTATION_ID, value: cp.statement.workstationId } },
        type: codes.entitySystemObject,
        role: codes.roleDataRepository,
        name: 'Local audit log',
        detail: [
          { type: 'statement', valueString: cp.statementJson },
          { type: 'signature', valueBase64Binary: cp.signature },
          { type: 'key-id', valueString: cp.keyId },
          { type: 'public-key', valueBase64Binary: cp.publicKey },
        ],
      },
    ],
  };
}

const Detail = z.object({
  type: z.string(),
  valueString: z.string().optional(),
  valueBase64Binary: z.string().optional(),
});
const CheckpointEventShape = z.object({
  resourceType: z.literal('AuditEvent'),
  subtype: z.array(z.object({ system: z.string(), code: z.string() })),
  entity: z.array(z.object({ detail: z.array(Detail).optional() })).min(1),
});

/** true when the parsed AuditEvent is one of our checkpoints (by its subtype). */
export function isCheckpointEvent(event: unknown): boolean {
  // Cheap test first: the verifier asks this of every row.
  const subtype =
    typeof event === 'object' && event !== null ? (event as { subtype?: unknown }).subtype : undefined;
  if (
    !Array.isArray(subtype) ||
    !subtype.some((c) => (c as { code?: unknown } | null)?.code === codes.checkpoint.code)
  ) {
    return false;
  }
  const parsed = CheckpointEventShape.safeParse(event);
  return (
    parsed.success &&
    parsed.data.subtype.some((c) => c.system === codes.checkpoint.system && c.code === codes.checkpoint.code)
  );
}

/** Reads the signed checkpoint back out of a checkpoint AuditEvent; explains what is wrong when it cannot. */
export function readCheckpointEvent(
  event: unknown,
): { ok: true; checkpoint: SignedCheckpoint } | { ok: false; error: string } {
  const parsed = CheckpointEventShape.safeParse(event);
  if (!parsed.success || !isCheckpointEvent(event))
    return { ok: false, error: 'not a checkpoint AuditEvent' };
  const details = parsed.data.entity[0]?.detail ?? [];
  const get = (type: string) => details.find((d) => d.type === type);
  const statementJson = get('statement')?.valueString;
  const signature = get('signature')?.valueBase64Binary;
  const keyId = get('key-id')?.valueString;
  const publicKey = get('public-key')?.valueBase64Binary;
  if (!statementJson || !signature || !keyId || !publicKey)
    return { ok: false, error: 'checkpoint details missing' };
  let raw: unknown;
  try {
    raw = JSON.parse(statementJson);
  } catch {
    return { ok: false, error: 'checkpoint statement is not JSON' };
  }
  const statement = CheckpointStatement.safeParse(raw);
  if (!statement.success) return { ok: false, error: 'checkpoint statement malformed' };
  if (statementBytes(statement.data) !== statementJson)
    return { ok: false, error: 'checkpoint statement not canonical' };
  return { ok: true, checkpoint: { statement: statement.data, statementJson, signature, keyId, publicKey } };
}
