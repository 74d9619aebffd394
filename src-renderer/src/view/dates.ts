/**
 * Dates as the NHS style guide writes them ("3 March 1950", "14:05 on 3 March 2026") and the date-of-birth
 * entry check (day, month, year boxes to YYYY-MM-DD).
 */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "3 March 1950" from "1950-03-03" (or from a full ISO timestamp, using its date part). Unparseable input is returned as is. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  if (!month) return iso;
  return `${Number(m[3])} ${month} ${m[1]}`;
}

/** "14:05 on 3 March 2026" in the workstation's local time zone. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${hh}:${mm} on ${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** Whole years between a birth date (YYYY-MM-DD) and `now`, or null if the date is not one. */
export function ageInYears(birthDate: string, now: Date): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < mo || (now.getMonth() + 1 === mo && now.getDate() < d)) age--;
  return age;
}

export type DateParts = { day: string; month: string; year: string };
export type DateEntry = { ok: true; iso: string } | { ok: false; message: string; field: keyof DateParts };

/** Checks a date of birth typed into three boxes; it must be a real date, not in the future, after 1900. */
export function parseDateOfBirth(parts: DateParts, today: Date): DateEntry {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { ok: false, message: 'Enter the date of birth', field: 'day' };
  if (!/^\d{1,2}$/.test(day)) return { ok: false, message: 'Date of birth must include a day', field: 'day' };
  if (!/^\d{1,2}$/.test(month))
    return { ok: false, message: 'Date of birth must include a month', field: 'month' };
  if (!/^\d{4}$/.test(year)) return { ok: false, message: 'Year must have 4 numbers', field: 'year' };
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    m < 1 ||
    m > 12 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  ) {
    return { ok: false, message: 'Date of birth must be a real date', field: 'day' };
  }
  if (y < 1900) return { ok: false, message: 'Date of birth must be after 1900', field: 'year' };
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  if (date.getTime() > todayUtc)
    return { ok: false, message: 'Date of birth must be in the past', field: 'day' };
  const iso = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return { ok: true, iso };
}

export type DayEntry =
  { ok: true; iso: string | null } | { ok: false; message: string; field: keyof DateParts };

/**
 * Checks a day typed into three boxes for a filter or a period (`label` names it: "The from date"). All three
 * empty is no date (null) unless `required`; otherwise it must be a real date from 1900 on.
 */
export function parseDay(parts: DateParts, label: string, required = false): DayEntry {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) {
    return required
      ? { ok: false, message: `Enter ${lowerFirst(label)}`, field: 'day' }
      : { ok: true, iso: null };
  }
  if (!/^\d{1,2}$/.test(day)) return { ok: false, message: `${label} must include a day`, field: 'day' };
  if (!/^\d{1,2}$/.test(month))
    return { ok: false, message: `${label} must include a month`, field: 'month' };
  if (!/^\d{4}$/.test(year)) return { ok: false, message: 'Year must have 4 numbers', field: 'year' };
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    m < 1 ||
    m > 12 ||
    y < 1900 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  ) {
    return { ok: false, message: `${label} must be a real date`, field: 'day' };
  }
  return { ok: true, iso: `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** Day boxes holding an ISO day (YYYY-MM-DD), for putting a date back into a form. */
export function dayParts(iso: string | null | undefined): DateParts {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return { day: '', month: '', year: '' };
  return { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] ?? '' };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
