/**
 * `stethoscope card issue` (writes a virtual card profile from the demo CA) and `stethoscope card emulate`
 * (plugs that card into vpcd until SIGINT/SIGTERM, which pulls it out). `card status` lives in card-status.ts.
 */
import { randomInt } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isPin, PIN_RULE } from '../../../src-shared/domain/pin';
import { OrgType, RoleProfile } from '../../../src-shared/domain/rbac';
import { DEFAULT_DEMO_ORGANISATIONS } from '../../records/demo-data/orgs';
import { ensureCa, issueCard, MAX_CERT_DAYS } from '../../card/issue/index';
import { VirtualPivCard } from '../../card/virtual/piv-card';
import { readCardProfile, writeCardProfile } from '../../card/virtual/profile';
import { connectVpcd } from '../../card/virtual/vpcd-link';
import * as x509 from '@peculiar/x509';
import { parseFlags, UsageError, type CliCommand } from '../command';
import { issuesText } from '../../../src-shared/validation/issues';

/** Default demo CA folder: $XDG_DATA_HOME/stethoscope-demo/ca, else ~/.local/share/stethoscope-demo/ca. */
function defaultCaDir(): string {
  const base = process.env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share');
  return join(base, 'stethoscope-demo', 'ca');
}

/** National role names for the role codes seen on cards (access-policy.md). */
const ROLE_NAMES: Record<string, string> = {
  R8000: 'Clinical Practitioner Access Role',
  R8001: 'Nurse Access Role',
  R8003: 'Health Professional Access Role',
  R8008: 'Admin/Clinical Support Access Role',
  R8010: 'Clerical Access Role',
  R0001: 'Privacy Officer',
};

const ORG_NAMES: Record<string, string> = Object.fromEntries(
  Object.values(DEFAULT_DEMO_ORGANISATIONS).map((o) => [o.code, o.name]),
);

const DEFAULT_ROLE = 'C81007:gp-practice:R8000:B0370,B0168,B0020';

/** Parses ORGCODE:ORGTYPE:ROLECODE:ACT,ACT... into a role profile (urid = userId-NN). */
function parseRoleSpec(text: string, userId: string, index: number): RoleProfile {
  const parts = text.split(':');
  if (parts.length !== 4)
    throw new UsageError(`--role wants ORGCODE:ORGTYPE:ROLECODE:ACT,ACT..., got "${text}"`);
  const [orgCode, orgType, roleCode, acts] = parts as [string, string, string, string];
  if (!/^[A-Z0-9]{3,8}$/.test(orgCode))
    throw new UsageError(`--role: organisation code "${orgCode}" is not an ODS-style code`);
  const type = OrgType.safeParse(orgType);
  if (!type.success)
    throw new UsageError(
      `--role: organisation type "${orgType}" is not one of ${OrgType.options.join(', ')}`,
    );
  const activities = acts.split(',').filter((a) => a.length > 0);
  const role = RoleProfile.safeParse({
    urid: `${userId}-${String(index + 1).padStart(2, '0')}`,
    orgCode,
    orgName: ORG_NAMES[orgCode] ?? `Organisation ${orgCode}`,
    orgType: type.data,
    roleCode,
    roleName: ROLE_NAMES[roleCode] ?? `Role ${roleCode}`,
    activities,
  });
  if (!role.success) {
    throw new UsageError(`--role "${text}": ${issuesText(role.error, { max: 1, whole: 'the role' })}`);
  }
  return role.data;
}

const issueCommand: CliCommand = {
  path: ['card', 'issue'],
  summary:
    'Issues a virtual clinician card: writes DIR/card.json (keys, certificate, CHUID, signed care roles, PIN) and\n' +
    `      creates the demo CA if missing (default ${defaultCaDir()}; trust anchor root.pem, workstation bundle trust.pem).\n` +
    `      Defaults: --name "Dr Alex Example", random 555xxxxxxxxx user id, --pin 123456, --role ${DEFAULT_ROLE},\n` +
    `      --valid-days 365 (max ${MAX_CERT_DAYS}). Role names come from the national codes (R8000, R8001, R8003, R8008,\n` +
    '      R8010, R0001); org names from the demo organisations, else "Organisation CODE". Prints a JSON summary.',
  usage:
    'stethoscope card issue --out DIR [--name N] [--user-id ID] [--pin P] [--role ORGCODE:ORGTYPE:ROLECODE:ACT,ACT...]... [--valid-days N] [--ca DIR]',
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      out: { type: 'string' },
      name: { type: 'string', default: 'Dr Alex Example' },
      'user-id': { type: 'string' },
      pin: { type: 'string', default: '123456' },
      role: { type: 'string', multiple: true },
      'valid-days': { type: 'string', default: '365' },
      ca: { type: 'string' },
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    const userId = values['user-id'] ?? `555${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
    if (!/^\d{12}$/.test(userId)) throw new UsageError('--user-id must be 12 digits');
    if (!isPin(values.pin)) throw new UsageError(`--pin: ${PIN_RULE}`);
    if (!/^\d+$/.test(values['valid-days'])) throw new UsageError('--valid-days needs a whole number');
    const validDays = Number(values['valid-days']);
    if (validDays < 1 || validDays > MAX_CERT_DAYS)
      throw new UsageError(`--valid-days must be 1..${MAX_CERT_DAYS}`);
    if (values.name.trim().length === 0) throw new UsageError('--name must not be empty');
    const roles = (values.role?.length ? values.role : [DEFAULT_ROLE]).map((r, i) =>
      parseRoleSpec(r, userId, i),
    );

    const caDir = resolve(values.ca ?? defaultCaDir());
    const ca = await ensureCa(caDir);
    const profile = await issueCard(ca, {
      displayName: values.name,
      userId,
      pin: values.pin,
      roles,
      validDays,
    });
    const file = resolve(values.out, 'card.json');
    await writeCardProfile(file, profile);
    const cert = new x509.X509Certificate(Buffer.from(profile.authCertDer, 'base64'));
    io.stdout(
      JSON.stringify({
        profile: file,
        holder: profile.holder,
        cardGuid: profile.cardGuid,
        certSerial: cert.serialNumber,
        certNotAfter: cert.notAfter.toISOString(),
        chuidExpiry: profile.chuidExpiry,
        roles: roles.map((r) => ({
          urid: r.urid,
          orgCode: r.orgCode,
          roleCode: r.roleCode,
          activities: r.activities,
        })),
        ca: caDir,
        trustAnchor: join(caDir, 'root.pem'),
        trustBundle: join(caDir, 'trust.pem'),
      }) + '\n',
    );
    return 0;
  },
};

/** Parses HOST:PORT (IPv6 as [addr]:port). */
function parseHostPort(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new UsageError(`--vpcd wants HOST:PORT, got "${text}"`);
  return { host: (m[1] ?? m[2]) as string, port };
}

const emulateCommand: CliCommand = {
  path: ['card', 'emulate'],
  summary:
    'Plugs the card in FILE into vsmartcard vpcd (default 127.0.0.1:35963, the Debian vpcd port 0x8C7B) and keeps it\n' +
    '      in the reader until SIGINT/SIGTERM (= pulling it out), then exits 0. Reconnects if pcscd restarts.',
  usage: 'stethoscope card emulate --profile FILE [--vpcd HOST:PORT]',
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      profile: { type: 'string' },
      vpcd: { type: 'string', default: '127.0.0.1:35963' },
    });
    if (!values.profile) throw new UsageError('--profile FILE is required');
    const { host, port } = parseHostPort(values.vpcd);
    const profile = await readCardProfile(values.profile);
    const card = new VirtualPivCard(profile);

    let stop: () => void = () => undefined;
    const stopped = new Promise<string>((res) => {
      const on = (sig: string) => () => res(sig);
      const onInt = on('SIGINT');
      const onTerm = on('SIGTERM');
      process.once('SIGINT', onInt);
      process.once('SIGTERM', onTerm);
      stop = () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    });
    io.stderr(`waiting for vpcd at ${host}:${port}...\n`);
    const abort = new AbortController();
    const linked = connectVpcd(card, { host, port, signal: abort.signal }).catch(() => null);
    const first = await Promise.race([linked, stopped]);
    if (typeof first === 'string' || first === null) {
      // Interrupted before vpcd accepted the card: stop retrying.
      abort.abort();
      stop();
      io.stderr('stopped before the card was inserted\n');
      return 0;
    }
    const link = first;
    io.stdout(
      JSON.stringify({
        event: 'inserted',
        vpcd: `${host}:${port}`,
        cardGuid: profile.cardGuid,
        holder: profile.holder,
      }) + '\n',
    );
    const signal = await stopped;
    stop();
    await link.close();
    io.stdout(JSON.stringify({ event: 'removed', signal }) + '\n');
    return 0;
  },
};

export const cardCommands: CliCommand[] = [issueCommand, emulateCommand];
