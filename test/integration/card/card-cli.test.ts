/**
 * `stethoscope card issue` and `card emulate` as a user runs them (bin/stethoscope.mjs in child processes):
 * the issued profile passes the trust checks against the CA folder's trust.pem, and the emulated card is seen
 * by an independent client (opensc-tool) through a private pcscd until SIGTERM pulls it out (exit 0). A profile
 * whose objects a card cannot serve is refused with one line, before the card is inserted.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivatePcscd, type PrivatePcscd } from '../../../native/pcscd/private-pcscd';
import { ensureCa, issueCard } from '../../../src-main/card/issue/index';
import { readCardProfile, writeCardProfile } from '../../../src-main/card/virtual/profile';
import { createTrustStore, verifyCardObjects } from '../../../src-main/card/verify/index';
import { VirtualPivCard } from '../../../src-main/card/virtual/piv-card';

const bin = fileURLToPath(new URL('../../../bin/stethoscope.mjs', import.meta.url));
const PORT = 40059;

let dir: string;
let pcscd: PrivatePcscd | undefined;
let emulator: ChildProcess | undefined;

function stethoscope(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

function readersOut(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'opensc-tool',
      ['--list-readers'],
      { env: { ...process.env, PCSCLITE_CSOCK_NAME: pcscd?.socketPath ?? '' } },
      (err, stdout) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
          reject(new Error('opensc-tool not found (apt-get install opensc)'));
        else resolve(stdout);
      },
    );
  });
}

async function waitCardPresent(want: boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  let out = '';
  while (Date.now() < deadline) {
    out = await readersOut();
    if (new RegExp(`^\\s*0\\s+${want ? 'Yes' : 'No'}\\s`, 'm').test(out)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`reader 0 card present should be ${want}:\n${out}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steth-card-cli-'));
});

afterAll(async () => {
  if (emulator && emulator.exitCode === null) emulator.kill('SIGKILL');
  await pcscd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('stethoscope card issue', () => {
  it('writes a profile whose card passes the trust checks, and prints a JSON summary', async () => {
    const r = await stethoscope([
      'card',
      'issue',
      '--out',
      join(dir, 'card'),
      '--ca',
      join(dir, 'ca'),
      '--name',
      'Dr Cli Example',
      '--user-id',
      '555000000123',
      '--pin',
      '1357924',
      '--role',
      'C81007:gp-practice:R8000:B0370,B0168',
      '--role',
      'ZZ999:ambulance:R8001:B0370',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary['holder']).toEqual({ displayName: 'Dr Cli Example', userId: '555000000123' });
    expect(summary['trustBundle']).toBe(join(dir, 'ca', 'trust.pem'));

    const profile = await readCardProfile(join(dir, 'card', 'card.json'));
    expect(profile.pin).toBe('1357924');
    const trust = createTrustStore({ anchorsPem: [await readFile(join(dir, 'ca', 'trust.pem'), 'utf8')] });
    const card = new VirtualPivCard(profile);
    card.powerOn();
    const { tlv } = await import('../../../src-main/card/virtual/ber-tlv');
    // The CHUID content as the PIV client reads it (inside the 53 wrapper).
    const chuid = Buffer.concat([
      tlv('34', Buffer.from(profile.cardGuid, 'hex')),
      tlv('35', Buffer.from(profile.chuidExpiry)),
    ]);
    const v = await verifyCardObjects(
      {
        chuid,
        certDer: Buffer.from(profile.authCertDer, 'base64'),
        rolesDer: Buffer.from(profile.rolesCmsDer ?? '', 'base64'),
      },
      trust,
      new Date(),
    );
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.roles.map((x) => [x.urid, x.orgName, x.roleName])).toEqual([
      ['555000000123-01', 'Example Surgery', 'Clinical Practitioner Access Role'],
      ['555000000123-02', 'Organisation ZZ999', 'Nurse Access Role'],
    ]);
  });

  it('refuses bad input with exit 2 and a reason', async () => {
    const r = await stethoscope([
      'card',
      'issue',
      '--out',
      join(dir, 'x'),
      '--ca',
      join(dir, 'ca'),
      '--role',
      'C81007:hospital:R8000:B0370',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/organisation type "hospital"/);
    const pin = await stethoscope([
      'card',
      'issue',
      '--out',
      join(dir, 'x'),
      '--ca',
      join(dir, 'ca'),
      '--pin',
      '12',
    ]);
    expect(pin.code).toBe(2);
  });
});

describe('stethoscope card emulate', () => {
  it('inserts the card into vpcd until SIGTERM, then exits 0 with the card removed', async () => {
    pcscd = await startPrivatePcscd({ dir: join(dir, 'pcscd'), port: PORT });
    await waitCardPresent(false);
    const child = spawn(
      process.execPath,
      [bin, 'card', 'emulate', '--profile', join(dir, 'card', 'card.json'), '--vpcd', `127.0.0.1:${PORT}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    emulator = child;
    let stdout = '';
    const inserted = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('"inserted"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`emulate exited early (${code}): ${stdout}`)));
    });
    await inserted;
    await waitCardPresent(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('"removed"');
    await waitCardPresent(false);
  });

  it('refuses a profile with an object over 64 KB in one line (no stack trace), before inserting the card', async () => {
    if (!pcscd) pcscd = await startPrivatePcscd({ dir: join(dir, 'pcscd'), port: PORT });
    await waitCardPresent(false);
    // Care roles properly signed, but far larger than a card object can be.
    const big = await issueCard(await ensureCa(join(dir, 'ca')), {
      displayName: 'Dr Large Object',
      userId: '555000000124',
      pin: '123456',
      roles: [],
      rolesContent: Buffer.alloc(70_000, 0x20),
    });
    const file = join(dir, 'big', 'card.json');
    await writeCardProfile(file, big);
    const child = spawn(
      process.execPath,
      [bin, 'card', 'emulate', '--profile', file, '--vpcd', `127.0.0.1:${PORT}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    emulator = child;
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const inserted = new Promise<'inserted'>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('"inserted"')) resolve('inserted');
      }),
    );
    const first = await Promise.race([exited, inserted]);
    if (first === 'inserted') {
      // What any host does next: read the card (card status asks for each object in one extended answer).
      await waitCardPresent(true);
      await new Promise<void>((resolve) =>
        execFile(
          process.execPath,
          [bin, 'card', 'status', '--exchange-timeout-ms', '3000'],
          { env: { ...process.env, PCSCLITE_CSOCK_NAME: pcscd?.socketPath ?? '' }, timeout: 60_000 },
          () => resolve(),
        ),
      );
      const late = setTimeout(() => child.kill('SIGTERM'), 10_000);
      await exited;
      clearTimeout(late);
    }
    const code = await exited;
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^stethoscope card emulate: .*care-roles object.* 65,533 bytes/),
    ]);
    expect(code).toBe(1);
    expect(stdout).not.toContain('"inserted"');
    await waitCardPresent(false);
  });
});
