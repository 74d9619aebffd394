/**
 * `stethoscope report green` and `stethoscope report amber` as a user runs them (node bin/stethoscope.mjs): happy
 * paths over NDJSON and a Bundle, the refusals of insurance and marketing in the seed document's words, the help,
 * and one-line reasons (no stack traces) for unusable input and key files.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesByKind, tempDir } from '../../support/audit-log/fixtures';
import { actor, alert, bundle, event, many, ndjson, NHS } from '../../support/review/events';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'bin/stethoscope.mjs');
const INSURANCE =
  'Data will not be made available for the purposes of selling or administering any kind of insurance';
const MARKETING = 'Data will not be shared or used for marketing purposes';
const CODES = [
  'direct-care-audit',
  'ig-investigation',
  'service-evaluation',
  'research-approved',
  'statutory-reporting',
];

let dir = '';
let remove = () => {};
let events = '';
let bundleFile = '';
let keyFile = '';

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A one-line reason on stderr, no stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

const gp = actor({ orgCode: 'C81007', roleCode: 'R8000' });
const nurse = actor({
  userId: '555000000002',
  displayName: 'Nurse Ben Example',
  orgCode: 'RXX01',
  roleCode: 'R8001',
});

beforeAll(() => {
  ({ dir, remove } = tempDir('report-cli'));
  const log = [
    ...many(12, alert('emergency-override', { actor: gp, nhsNumber: NHS.a }), '2026-11-03T08:00:00Z'),
    ...many(13, alert('legal-override', { actor: nurse, nhsNumber: NHS.b }), '2026-12-09T14:30:00Z'),
    ...many(3, alert('lr-self-claim', { actor: gp, nhsNumber: NHS.c }), '2026-12-10T09:00:00Z'),
    event({ entry: entriesByKind['record-read'] }),
    event({ entry: entriesByKind.login }),
  ];
  events = join(dir, 'events.ndjson');
  writeFileSync(events, ndjson(log));
  bundleFile = join(dir, 'events.bundle.json');
  writeFileSync(bundleFile, bundle(log));
  keyFile = join(dir, 'po.key');
  writeFileSync(keyFile, 'b3f1c0de9a8e4d2f7c6b5a4938271605f4e3d2c1b0a99887766554433221100f\n');
  chmodSync(keyFile, 0o600);
});
afterAll(() => remove());

describe('stethoscope report green', () => {
  it('counts alerts by type as CSV, suppressed, with the total last', () => {
    const r = run('report', 'green', '--events', events, '--by', 'type', '--purpose', 'service-evaluation');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('type,count\nemergency,10\nlegal,15\nself-claimed-lr,*\nTotal,30\n');
  });

  it('by org and month, from a FHIR Bundle', () => {
    const r = run(
      'report',
      'green',
      '--events',
      bundleFile,
      '--by',
      'org,month',
      '--purpose',
      'direct-care-audit',
    );
    expect(r.code).toBe(0);
    expect(parse(r.stdout)).toEqual([
      ['org', 'month', 'count'],
      ['C81007', '2026-11', '10'],
      ['C81007', '2026-12', '*'],
      ['RXX01', '2026-12', '15'],
      ['Total', '', '30'],
    ]);
  });

  it.each([
    ['insurance', INSURANCE],
    ['marketing', MARKETING],
  ])('--purpose %s is refused in the seed’s words, before the file is even read', (purpose, words) => {
    for (const file of [events, join(dir, 'does-not-exist.ndjson')]) {
      const r = run('report', 'green', '--events', file, '--by', 'type', '--purpose', purpose);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(words);
      expectOneLine(r.stderr);
    }
  });

  it('an unknown purpose is refused with the list; a missing one is a usage error', () => {
    const r = run('report', 'green', '--events', events, '--by', 'type', '--purpose', 'curiosity');
    expect(r.code).toBe(3);
    for (const c of CODES) expect(r.stderr).toContain(c);
    expectOneLine(r.stderr);
    const none = run('report', 'green', '--events', events, '--by', 'type');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--purpose CODE is required/);
  });

  it('a line that is not an AuditEvent refuses the file, naming the line', () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, `${ndjson(many(2, alert('emergency-override')))}{"resourceType":"Patient"}\n`);
    const r = run('report', 'green', '--events', bad, '--by', 'type', '--purpose', 'ig-investigation');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad\.ndjson: line 3: not an AuditEvent/);
    expectOneLine(r.stderr);
    const missing = run(
      'report',
      'green',
      '--events',
      join(dir, 'nope'),
      '--by',
      'type',
      '--purpose',
      'ig-investigation',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope: no such file/);
    expectOneLine(missing.stderr);
  });

  it('an unknown grouping field is a usage error', () => {
    const r = run(
      'report',
      'green',
      '--events',
      events,
      '--by',
      'org,colour',
      '--purpose',
      'ig-investigation',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot group by "colour"/);
  });

  it('--help lists the fields, the purpose codes and the two refused ones, and says the workstation audits runs', () => {
    const r = run('report', 'green', '--help');
    expect(r.code).toBe(0);
    for (const c of [...CODES, 'org', 'month', 'type', 'reason', 'role', INSURANCE, MARKETING])
      expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/writes no audit log/);
    expect(r.stdout).toMatch(/workstation, each\s+report, extract and refusal is audited/);
  });
});

describe('stethoscope report amber', () => {
  it('one pseudonymised CSV row per event, stable under the key, with no NHS number or user id', () => {
    const r = run(
      'report',
      'amber',
      '--events',
      events,
      '--key-file',
      keyFile,
      '--purpose',
      'research-approved',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(30);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'date',
      'type',
      'outcome',
      'org',
      'role',
      'purpose',
      'reason',
      'record',
      'patient_pseudonym',
      'user_pseudonym',
    ]);
    for (const n of [...Object.values(NHS), '555000000001', '555000000002', 'Ada', 'Testwell', 'Unconscious'])
      expect(r.stdout).not.toContain(n);
    expect(r.stdout).not.toMatch(/\d{10}|\d{2}:\d{2}/);
    const emergencies = rows.filter((x) => x.type === 'emergency');
    expect(new Set(emergencies.map((x) => x.patient_pseudonym)).size).toBe(1);
    expect(emergencies[0]?.patient_pseudonym).toMatch(/^[cbdefghijklnrtuv]{64}$/);
    expect(emergencies[0]).toMatchObject({
      date: '2026-11-03',
      org: 'C81007',
      reason: '5',
      purpose: 'ETREAT',
    });
    // Same key, same pseudonyms: the Bundle gives the same extract.
    const again = run(
      'report',
      'amber',
      '--events',
      bundleFile,
      '--key-file',
      keyFile,
      '--purpose',
      'research-approved',
    );
    expect(again.stdout).toBe(r.stdout);
  });

  it('--format ndjson: one object a line', () => {
    const r = run(
      'report',
      'amber',
      '--events',
      events,
      '--key-file',
      keyFile,
      '--purpose',
      'ig-investigation',
      '--format',
      'ndjson',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(30);
    expect(lines.find((l) => l.type === 'login')).toMatchObject({ patient_pseudonym: null, reason: null });
  });

  it.each([
    ['insurance', INSURANCE],
    ['marketing', MARKETING],
  ])('--purpose %s is refused in the seed’s words, before the key or file is read', (purpose, words) => {
    const r = run(
      'report',
      'amber',
      '--events',
      events,
      '--key-file',
      join(dir, 'no-key'),
      '--purpose',
      purpose,
    );
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(words);
    expectOneLine(r.stderr);
  });

  it('a key file others can read, a short one or a missing one is refused with the reason, no stack trace', () => {
    const open = join(dir, 'open.key');
    writeFileSync(open, 'b3f1c0de9a8e4d2f7c6b5a4938271605f4e3d2c1b0a99887766554433221100f\n');
    chmodSync(open, 0o644);
    const short = join(dir, 'short.key');
    writeFileSync(short, 'secret\n');
    chmodSync(short, 0o600);
    for (const [file, reason] of [
      [open, /open to other users \(mode 0644\).*chmod 600/],
      [short, /too short/],
      [join(dir, 'no-key'), /no such key file/],
    ] as const) {
      const r = run(
        'report',
        'amber',
        '--events',
        events,
        '--key-file',
        file,
        '--purpose',
        'ig-investigation',
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).not.toContain('secret');
      expectOneLine(r.stderr);
    }
  });

  it('--help lists the purpose codes, the refused ones and the columns, and says how to make a key', () => {
    const r = run('report', 'amber', '--help');
    expect(r.code).toBe(0);
    for (const c of [...CODES, INSURANCE, MARKETING, 'patient_pseudonym', 'openssl rand -hex 32'])
      expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/writes no audit log/);
  });
});

describe('stethoscope report and stethoscope --help', () => {
  it('both list the report commands and the purpose codes', () => {
    const report = run('report', '--help');
    expect(report.code).toBe(0);
    for (const c of [...CODES, INSURANCE, MARKETING]) expect(report.stdout).toContain(c);
    const top = run('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toContain(
      'stethoscope report green --events FILE --by FIELD[,FIELD...] --purpose CODE',
    );
    expect(top.stdout).toContain(
      'stethoscope report amber --events FILE --key-file FILE --purpose CODE [--format csv|ndjson]',
    );
    for (const c of CODES) expect(top.stdout).toContain(c);
  });
});
