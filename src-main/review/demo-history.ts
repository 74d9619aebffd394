/**
 * Demo mode's audit history: twelve weeks of invented overrides by the demo's own clinician cards on the demo
 * patients, each with the record reads made under it, delivered into the in-process audit repository when it
 * loads, with the older ones already reviewed by a colleague of the demo privacy officer. It gives her queue,
 * the counts per status, the reports and the weekly chart something to show before anyone has overridden
 * anything; the overrides made in the demo itself arrive on top of it through the workstation's FHIR delivery.
 * Seeded: the same history every start. Only synthetic data (999 test-range NHS numbers, invented names).
 */
import type { AuditEvent } from '@medplum/fhirtypes';
import { buildAuditEvent } from '../audit/events/build';
import type { AuditActor, AuditEntry } from '../audit/types';
import { DEMO_CARDS } from '../card/demo/catalogue';
import { DEMO_PATIENTS } from '../records/demo-data/fixed-patients';
import { createRng } from '../records/demo-data/prng';
import type { Sandbox } from '../sandbox/sandbox';
import type { ReviewStatusCode } from '../domain/review-task';
import { applyAction } from './review-service';
import type { SignedInUser } from '../session/port';

const WEEKS = 12;
const DAY = 86_400_000;

const WORDS = [
  'Unconscious on arrival, no next of kin present',
  'Collapsed in the waiting room; allergies needed before treatment',
  'Confused and unable to give consent; medication check before sedation',
  'Cardiac arrest call; current medication needed',
  'Patient unable to communicate after a stroke',
];

/** A colleague of the demo privacy officer who reviewed the older alerts (not a demo card). */
const COLLEAGUE: SignedInUser = {
  sessionId: 'demo-history',
  holder: { userId: '555000000190', displayName: 'Alex Morgan' },
  role: {
    urid: '555000000190-01',
    orgCode: 'C81007',
    orgName: 'Example Surgery',
    orgType: 'gp-practice',
    roleCode: 'R0001',
    roleName: 'Privacy Officer',
    activities: ['B0015', 'B0016', 'B0011'],
  },
};

function uuid(rng: ReturnType<typeof createRng>): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Fills the demo's audit repository; returns how many alerts it holds. */
export async function loadDemoHistory(sandbox: Sandbox, now = Date.now()): Promise<number> {
  const rng = createRng('demo-audit-history');
  const clinicians = DEMO_CARDS.filter(
    (c) => !c.untrusted && c.roles.some((r) => r.activities.includes('B0168')),
  );
  // Not the restricted patient: a PDS-restricted record is not an everyday example.
  const patients = DEMO_PATIENTS.filter((p) => p.key !== 'restricted').map((p) => p.nhsNumber);
  const store = sandbox.stores.audit;
  let alerts = 0;
  for (let week = WEEKS; week >= 1; week--) {
    const count = rng.int(2, 9);
    for (let i = 0; i < count; i++) {
      const card = rng.pick(clinicians);
      const role = rng.pick(card.roles);
      const at = now - week * 7 * DAY + rng.int(0, 6 * DAY);
      const actor: AuditActor = {
        userId: card.userId,
        displayName: card.displayName,
        urid: role.urid,
        roleCode: role.roleCode,
        orgCode: role.orgCode,
        workstationId: rng.pick(['WS-DEMO-02', 'WS-DEMO-03', 'WS-DEMO-04']),
      };
      const patient = { nhsNumber: rng.pick(patients) };
      const encounterId = uuid(rng);
      const legal = rng.chance(0.12);
      const override: AuditEntry = legal
        ? {
            kind: 'legal-override',
            actor,
            patient,
            reasonCode: rng.pick([1, 2, 3] as const),
            reasonText: 'Request from the coroner’s office',
            encounterId,
          }
        : {
            kind: 'emergency-override',
            actor,
            patient,
            reasonCode: rng.pick([4, 5] as const),
            reasonText: rng.pick(WORDS),
            encounterId,
          };
      const entries: AuditEntry[] = [
        override,
        {
          kind: 'record-read',
          actor,
          patient,
          record: 'scr-core',
          sections: ['medications', 'allergies', 'adverse-reactions'],
          purpose: legal ? 'TREAT' : 'ETREAT',
          encounterId,
        },
      ];
      let t = at;
      let alertId = '';
      for (const entry of entries) {
        const id = uuid(rng);
        alertId ||= id;
        const event = buildAuditEvent(entry, {
          uuid: id,
          recorded: new Date(t).toISOString(),
          machineName: actor.workstationId.toLowerCase(),
        });
        store.repo.adoptVersion(JSON.parse(JSON.stringify(event)) as AuditEvent);
        t += rng.int(5_000, 60_000);
      }
      alerts++;
      // Alerts of the practice older than four weeks were reviewed by the colleague.
      if (role.orgCode === COLLEAGUE.role.orgCode && week > 4) {
        const outcome: ReviewStatusCode = rng.chance(0.9) ? 'closed-appropriate' : 'closed-inappropriate';
        const task = applyAction(
          alertId,
          null,
          {
            action: 'close',
            outcome: outcome === 'closed-appropriate' ? 'appropriate' : 'inappropriate',
            text:
              outcome === 'closed-appropriate'
                ? 'Attendance confirmed in the practice record.'
                : 'No attendance found; discussed with the clinician.',
          },
          COLLEAGUE,
          new Date(at + 3 * DAY).toISOString(),
        );
        await store.call('POST', '/Task', {}, task);
      }
    }
  }
  return alerts;
}
