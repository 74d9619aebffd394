/**
 * Reading an answer from a remote record service (SCR, PDS): the size cap, JSON, and the error that says in
 * plain words what is wrong with its shape. Messages name the problem, never the library that found it, and
 * never quote the data (it may be another patient's).
 */
import type { z } from 'zod';
import { issuesText } from '../../src-shared/validation/issues';

export type ShapeProblem =
  /** Larger than the cap. */
  | 'too-large'
  /** Not JSON text. */
  | 'not-json'
  /** JSON, but not the kind of resource expected (another resourceType, Bundle type or document type). */
  | 'wrong-type'
  /** The expected kind of resource, with a field missing or of the wrong form. */
  | 'invalid'
  /** A well-formed answer that holds no record (an empty searchset). */
  | 'no-record'
  /** A record about another patient than the one asked for. */
  | 'wrong-patient'
  /** A record the service marks as invalidated. */
  | 'redacted';

export class RecordShapeError extends Error {
  override readonly name = 'RecordShapeError';
  constructor(
    readonly problem: ShapeProblem,
    message: string,
  ) {
    super(message);
  }
}

/** "10 MB", "10.01 MB", "512 KB", "900 bytes". */
export function sizeText(bytes: number): string {
  const unit = (n: number, size: number, name: string) =>
    `${n % size === 0 ? n / size : (n / size).toFixed(2)} ${name}`;
  if (bytes >= 1024 * 1024) return unit(bytes, 1024 * 1024, 'MB');
  if (bytes >= 1024) return unit(bytes, 1024, 'KB');
  return `${bytes} bytes`;
}

/** UTF-8 JSON text (or bytes) of at most maxBytes, parsed; `what` names it in errors ("the SCR bundle"). */
export function parseJsonBody(body: Uint8Array | string, maxBytes: number, what: string): unknown {
  const size = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  if (size > maxBytes)
    throw new RecordShapeError(
      'too-large',
      `${what} is over the ${sizeText(maxBytes)} limit (${sizeText(size)})`,
    );
  const text =
    typeof body === 'string'
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RecordShapeError('not-json', `${what} is not valid JSON`);
  }
}

/**
 * Parses `value` with `schema`, or throws RecordShapeError('invalid') listing the first problems in plain
 * words, each with its place ("entry[2].resource.code is missing"). `prefix` is where `value` sits.
 */
export function parseShape<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  prefix = '',
): z.output<S> {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  const problems = issuesText(r.error, { prefix, whole: 'the resource' });
  throw new RecordShapeError('invalid', `${what} is not in the expected form: ${problems}`);
}
