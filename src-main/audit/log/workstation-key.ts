/**
 * The workstation's checkpoint-signing key: ECDSA P-256, PKCS#8 PEM in the data folder, created (mode 0600) on
 * first use. Anyone who can read this file can sign checkpoints, which is why checkpoints also leave the machine:
 * the remote copy is what proves a tail was cut or the past rewritten.
 */
import {
  randomUUID,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface WorkstationKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI DER of the public key. */
  spki: Buffer;
  /** Hex SHA-256 of the SPKI DER. */
  keyId: string;
}

export class WorkstationKeyError extends Error {
  override readonly name = 'WorkstationKeyError';
}

function assertP256(key: KeyObject, file: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new WorkstationKeyError(`${file} is not an EC P-256 key`);
  }
}

export function keyIdOf(publicKey: KeyObject): { spki: Buffer; keyId: string } {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { spki, keyId: createHash('sha256').update(spki).digest('hex') };
}

export function loadOrCreateWorkstationKey(file: string): WorkstationKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' });
    // Written whole to a file of our own, then linked into place: a process killed half-way leaves no empty or
    // partial key behind, and link() never replaces a key another process created a moment ago (read theirs).
    const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeSync(fd, String(fresh));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
    pem = readFileSync(file, 'utf8');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new WorkstationKeyError(`the workstation key ${file} is not a readable PEM private key`);
  }
  assertP256(privateKey, file);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, ...keyIdOf(publicKey) };
}

/** A public key from PEM text: SPKI public key, or a private key whose public half is taken. */
export function publicKeyFromPem(pem: string, label: string): KeyObject {
  const key = createPublicKey({ key: pem, format: 'pem' });
  assertP256(key, label);
  return key;
}

export function publicKeyFromSpki(spkiBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
}

export function signStatement(key: WorkstationKey, statementJson: string): string {
  return sign('sha256', Buffer.from(statementJson, 'utf8'), key.privateKey).toString('base64');
}

export function verifyStatement(
  publicKey: KeyObject,
  statementJson: string,
  signatureBase64: string,
): boolean {
  try {
    return verify(
      'sha256',
      Buffer.from(statementJson, 'utf8'),
      publicKey,
      Buffer.from(signatureBase64, 'base64'),
    );
  } catch {
    return false;
  }
}
