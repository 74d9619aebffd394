/**
 * Medication as the GP summary lists it: acute (a new item in the last four weeks), repeat (current), or
 * discontinued (a repeat that was stopped), with a quantity and the last issue date. The generated items carry
 * only text, dosage, start and status, so the rest is derived deterministically from them (the same item gives
 * the same details on every load).
 */
import { AS_OF } from '../../records/demo-data/population-types';
import type { ScrSectionKey } from '../../records/scr/sections';
import { stableInt } from './ids';

const DAY = 86_400_000;
const AS_OF_MS = Date.parse(`${AS_OF}T00:00:00Z`);
/** An active item started this recently is an acute issue, not yet a repeat. */
const ACUTE_DAYS = 28;

export type MedicationKind = 'medications-acute' | 'medications-repeat' | 'medications-discontinued';

export function medicationKind(status: string, start: string | undefined): MedicationKind & ScrSectionKey {
  if (status !== 'active') return 'medications-discontinued';
  const started = start ? Date.parse(start) : NaN;
  return Number.isFinite(started) && AS_OF_MS - started <= ACUTE_DAYS * DAY
    ? 'medications-acute'
    : 'medications-repeat';
}

/** Units a day from dosage text such as "One tablet twice a day" or "Two tablets up to four times a day". */
function perDay(dose: string): number {
  const d = dose.toLowerCase();
  const each = /^two\b/.test(d) ? 2 : 1;
  if (d.includes('once a week')) return each / 7;
  if (d.includes('four times a day')) return each * 4;
  if (d.includes('three times a day')) return each * 3;
  if (d.includes('twice a day')) return each * 2;
  return each;
}

/** A 28-day supply (a course: its days; when required: at most 100) in the item's own units. */
export function medicationQuantity(text: string, dose: string): { value: number; unit: string } {
  const t = text.toLowerCase();
  if (t.includes('inhaler')) return { value: 1, unit: 'inhaler' };
  if (t.includes('oral solution')) return { value: 300, unit: 'ml' };
  if (t.includes('pen')) return { value: 5, unit: 'pre-filled pens' };
  if (t.includes('gel')) return { value: 88, unit: 'g' };
  const unit = t.includes('capsule') ? 'capsules' : 'tablets';
  const course = /for (\d+) days/.exec(dose.toLowerCase());
  const days = course ? Number(course[1]) : 28;
  const supply = Math.max(1, Math.ceil(perDay(dose) * days));
  // "When required" is dosed at its maximum; a practice issues a smaller pack (100 is a common one).
  return { value: dose.toLowerCase().includes('when required') ? Math.min(supply, 100) : supply, unit };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** When it was last issued: acute on its start, repeats within the last 4 weeks, stopped ones before AS_OF. */
export function lastIssued(kind: MedicationKind, id: string, start: string | undefined): string {
  const started = start ? Date.parse(start) : AS_OF_MS - 365 * DAY;
  if (kind === 'medications-acute') return isoDay(started);
  if (kind === 'medications-repeat')
    return isoDay(Math.max(started, AS_OF_MS - stableInt(`issued:${id}`, 28) * DAY));
  const span = Math.max(0, AS_OF_MS - 30 * DAY - started);
  return isoDay(started + Math.floor((span * stableInt(`stopped:${id}`, 100)) / 100 / DAY) * DAY);
}
