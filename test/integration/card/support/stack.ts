/**
 * A private card stack for one integration test file: its own pcscd with vpcd readers on the file's ports,
 * a demo CA in a /tmp/steth-card-* folder, and helpers to issue cards and push them into readers.
 * PCSCLITE_CSOCK_NAME is set for this process before anything loads pcsclite (libpcsclite reads it once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivatePcscd, type PrivatePcscd } from '../../../../native/pcscd/private-pcscd';
import {
  ensureCa,
  issueCard,
  type CaBundle,
  type IssueCardOptions,
} from '../../../../src-main/card/issue/index';
import {
  VirtualPivCard,
  type CardFaults,
  type CardOptions,
} from '../../../../src-main/card/virtual/piv-card';
import type { CardProfile } from '../../../../src-main/card/virtual/profile';
import { connectVpcd, type VpcdLink } from '../../../../src-main/card/virtual/vpcd-link';
import type { RoleProfile } from '../../../../src-shared/domain/rbac';

export interface CardStack {
  tmp: string;
  pcscd: PrivatePcscd;
  ca: CaBundle;
  /** A second CA nobody trusts. */
  otherCa: () => Promise<CaBundle>;
  issue(opts?: Partial<IssueCardOptions>, ca?: CaBundle): Promise<CardProfile>;
  /** Puts a card into reader `index`; resolves once vpcd has it. */
  insert(
    profile: CardProfile,
    index?: number,
    faults?: CardFaults,
    options?: CardOptions,
  ): Promise<{ card: VirtualPivCard; link: VpcdLink }>;
  /** Pulls the card out of reader `index`. */
  remove(index?: number): Promise<void>;
  stop(): Promise<void>;
}

export const GP_ROLE: RoleProfile = {
  urid: '555000000801-01',
  orgCode: 'C81007',
  orgName: 'Example Surgery',
  orgType: 'gp-practice',
  roleCode: 'R8000',
  roleName: 'Clinical Practitioner Access Role',
  activities: ['B0370', 'B0168', 'B0020'],
};
export const OOH_ROLE: RoleProfile = {
  ...GP_ROLE,
  urid: '555000000801-02',
  orgCode: 'NWOOH1',
  orgName: 'Example Out of Hours Service',
  orgType: 'out-of-hours',
  activities: ['B0370', 'B0168'],
};

export async function startCardStack(name: string, port: number, readers = 1): Promise<CardStack> {
  const tmp = mkdtempSync(join(tmpdir(), `steth-card-${name}-`));
  const pcscd = await startPrivatePcscd({ dir: join(tmp, 'pcscd'), port, readers });
  const previous = process.env['PCSCLITE_CSOCK_NAME'];
  if (previous && previous !== pcscd.socketPath) {
    await pcscd.stop();
    throw new Error(`PCSCLITE_CSOCK_NAME already points at ${previous}: one private pcscd per test file`);
  }
  process.env['PCSCLITE_CSOCK_NAME'] = pcscd.socketPath;
  const ca = await ensureCa(join(tmp, 'ca'));
  let other: CaBundle | null = null;
  const links = new Map<number, VpcdLink>();
  let seq = 0;

  const stack: CardStack = {
    tmp,
    pcscd,
    ca,
    otherCa: async () => (other ??= await ensureCa(join(tmp, 'other-ca'))),
    async issue(opts = {}, issuer = ca) {
      seq++;
      const userId = opts.userId ?? `5550000008${String(seq).padStart(2, '0')}`;
      return issueCard(issuer, {
        displayName: `Dr Test Clinician ${seq}`,
        userId,
        pin: '123456',
        roles: [{ ...GP_ROLE, urid: `${userId}-01` }],
        ...opts,
      });
    },
    async insert(profile, index = 0, faults = {}, options = {}) {
      await stack.remove(index);
      const card = new VirtualPivCard(profile, faults, options);
      const port0 = pcscd.vpcdPorts[index];
      if (port0 === undefined) throw new Error(`no reader ${index}`);
      const link = await connectVpcd(card, { port: port0, timeoutMs: 5000 });
      links.set(index, link);
      return { card, link };
    },
    async remove(index = 0) {
      const link = links.get(index);
      links.delete(index);
      if (link) await link.close();
    },
    async stop() {
      for (const l of links.values()) await l.close().catch(() => undefined);
      links.clear();
      await pcscd.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
  return stack;
}
