/**
 * OpenSC as an independent reader of our card: a private pcscd + vpcd + the virtual card, read with pkcs15-tool
 * and used for ECDSA signatures through OpenSC's PKCS#11 module (pkcs11-tool): raw CKM_ECDSA (the card signs the
 * given digest) and CKM_ECDSA_SHA256 (OpenSC hashes, the card signs the hash). Needs root (unshare -m), pcscd,
 * vsmartcard-vpcd and opensc; a missing part fails the test with the reason.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivatePcscd, type PrivatePcscd } from '../../../native/pcscd/private-pcscd';
import { ensureCa, issueCard } from '../../../src-main/card/issue/index';
import { VirtualPivCard } from '../../../src-main/card/virtual/piv-card';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import { connectVpcd, type VpcdLink } from '../../../src-main/card/virtual/vpcd-link';
import { p256 } from '@noble/curves/nist.js';

const PORT = 40059;
const PIN = '86420135';
const MODULE_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so',
  '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/opensc-pkcs11.so',
  '/usr/lib64/opensc-pkcs11.so',
];

let dir: string;
let pcscd: PrivatePcscd | undefined;
let link: VpcdLink | undefined;
let card: VirtualPivCard;
let profile: CardProfile;
let pkcs11Module: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an OpenSC tool against the private pcscd. Asynchronous: the card answers from this process's event loop. */
function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {
        env: { ...process.env, PCSCLITE_CSOCK_NAME: pcscd?.socketPath ?? '' },
        timeout: 30_000,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error(`${cmd} not found: install opensc (apt-get install opensc opensc-pkcs11)`));
          return;
        }
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  const found = MODULE_CANDIDATES.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `opensc-pkcs11.so not found in ${MODULE_CANDIDATES.join(', ')} (apt-get install opensc-pkcs11)`,
    );
  pkcs11Module = found;
  dir = await mkdtemp(join(tmpdir(), 'steth-card-opensc-'));
  const ca = await ensureCa(join(dir, 'ca'));
  profile = await issueCard(ca, {
    displayName: 'Dr Opal Testcard',
    userId: '555000000314',
    pin: PIN,
    roles: [
      {
        urid: '555000000314-01',
        orgCode: 'RX9',
        orgName: 'Example Ambulance Service NHS Trust',
        orgType: 'ambulance',
        roleCode: 'R8003',
        roleName: 'Health Professional Access Role',
        activities: ['B0370', 'B0168'],
      },
    ],
  });
  pcscd = await startPrivatePcscd({ dir: join(dir, 'pcscd'), port: PORT });
  card = new VirtualPivCard(profile);
  link = await connectVpcd(card, { port: PORT, timeoutMs: 10_000 });
  // pcscd notices the card on its next presence poll; poll the outside daemon with a deadline.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await run('opensc-tool', ['--list-readers']);
    if (/^\s*0\s+Yes\s/m.test(r.stdout)) break;
    if (Date.now() > deadline) throw new Error(`pcscd did not see the card:\n${r.stdout}${r.stderr}`);
    await new Promise((res) => setTimeout(res, 100));
  }
});

afterAll(async () => {
  await link?.close();
  await pcscd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('OpenSC reads and uses the virtual PIV card', () => {
  it('pkcs15-tool lists the PIV Authentication certificate and reads the same DER', async () => {
    const list = await run('pkcs15-tool', ['--list-certificates']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('Certificate for PIV Authentication');
    const read = await run('pkcs15-tool', ['--read-certificate', '01']);
    expect(read.code, read.stderr).toBe(0);
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(read.stdout)?.[0];
    expect(pem, read.stdout).toBeDefined();
    const der = new X509Certificate(pem as string).raw;
    expect(der.equals(Buffer.from(profile.authCertDer, 'base64'))).toBe(true);
  });

  /** pkcs11-tool --sign with `mechanism` over `input`; answers the DER signature. */
  async function pkcs11Sign(mechanism: string, input: Buffer): Promise<Buffer> {
    const inFile = join(dir, `data-${mechanism}.bin`);
    const outFile = join(dir, `sig-${mechanism}.der`);
    await writeFile(inFile, input);
    const r = await run('pkcs11-tool', [
      '--module',
      pkcs11Module,
      '--login',
      '--pin',
      PIN,
      '--sign',
      '--mechanism',
      mechanism,
      '--id',
      '01',
      '--signature-format',
      'openssl',
      '--input-file',
      inFile,
      '--output-file',
      outFile,
    ]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    return readFile(outFile);
  }

  it('CKM_ECDSA: the card signs the 32 bytes it is given as the digest (raw ECDSA), as a real PIV card', async () => {
    const digest = randomBytes(32);
    const sig = await pkcs11Sign('ECDSA', digest);
    const cert = new X509Certificate(Buffer.from(profile.authCertDer, 'base64'));
    const jwk = cert.publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([
      Buffer.from([0x04]),
      Buffer.from(jwk.x as string, 'base64url'),
      Buffer.from(jwk.y as string, 'base64url'),
    ]);
    // Raw ECDSA: the input is the digest, not hashed again.
    expect(p256.verify(sig, digest, point, { prehash: false, format: 'der' })).toBe(true);
    expect(p256.verify(sig, randomBytes(32), point, { prehash: false, format: 'der' })).toBe(false);
    expect(verify('sha256', digest, cert.publicKey, sig)).toBe(false);
  });

  it('CKM_ECDSA_SHA256: OpenSC hashes the data, the card signs the hash; it verifies as ECDSA-with-SHA-256', async () => {
    const data = randomBytes(100);
    const sig = await pkcs11Sign('ECDSA-SHA256', data);
    const pub = new X509Certificate(Buffer.from(profile.authCertDer, 'base64')).publicKey;
    expect(verify('sha256', data, pub, sig)).toBe(true);
    expect(verify('sha256', randomBytes(100), pub, sig)).toBe(false);
  });

  it('a wrong PIN through PKCS#11 spends a try on the card; the right one restores the counter', async () => {
    const before = card.pinTriesLeft();
    const bad = await run('pkcs11-tool', [
      '--module',
      pkcs11Module,
      '--login',
      '--pin',
      '00000000',
      '--list-objects',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr + bad.stdout).toMatch(/CKR_PIN_INCORRECT/);
    expect(card.pinTriesLeft()).toBe(before - 1);
    const good = await run('pkcs11-tool', [
      '--module',
      pkcs11Module,
      '--login',
      '--pin',
      PIN,
      '--list-objects',
    ]);
    expect(good.code, good.stderr).toBe(0);
    expect(card.pinTriesLeft()).toBe(3);
  });
});
