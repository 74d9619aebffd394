/**
 * The card profile file: everything a virtual PIV card holds (identity, keys, objects, PIN), as JSON.
 * Written by `stethoscope card issue`, loaded by `stethoscope card emulate` and the demo.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { Pin } from '../../../src-shared/domain/pin';
import { issuesText } from '../../../src-shared/validation/issues';

const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');

export const CardProfile = z.object({
  version: z.literal(1),
  holder: z.object({
    displayName: z.string().min(1),
    userId: z.string().regex(/^\d{12}$/, '12-digit user id'),
  }),
  /** 16-byte card GUID as 32 hex characters; goes into CHUID tag 34. */
  cardGuid: z.string().regex(/^[0-9a-f]{32}$/i, '32 hex characters'),
  /** CHUID expiry (tag 35), YYYYMMDD. */
  chuidExpiry: z.string().regex(/^\d{8}$/, 'YYYYMMDD'),
  /** As on a real PIV card (src-shared/domain/pin.ts). */
  pin: Pin,
  /** PIV Authentication private key (slot 9A), PKCS#8 DER as base64, EC P-256. */
  authKey: base64,
  /** PIV Authentication certificate, DER as base64. */
  authCertDer: base64,
  /** Care-roles CMS SignedData, DER as base64; absent on a card without roles. */
  rolesCmsDer: base64.optional(),
  /** Answer-to-reset as hex. */
  atr: z.string().regex(/^([0-9a-f]{2})+$/i, 'hex bytes'),
});
export type CardProfile = z.infer<typeof CardProfile>;

/** Reads and validates a card profile; throws with the file name and the first problem on a bad file. */
export async function readCardProfile(file: string): Promise<CardProfile> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = CardProfile.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `${file}: not a card profile (${issuesText(parsed.error, { max: 1, whole: 'the profile' })})`,
    );
  }
  return parsed.data;
}

/** Writes a card profile (validated first) with owner-only permissions: it holds a private key and the PIN. */
export async function writeCardProfile(file: string, profile: CardProfile): Promise<void> {
  const valid = CardProfile.parse(profile);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(valid, null, 2) + '\n', { mode: 0o600 });
}
