/**
 * Steps the end-to-end specs share: drive the real UI (demo reader panel, sign-in, search, permission to view),
 * check accessibility with axe-core, and prove that no patient data is left in the page.
 * Everything waits on DOM states the app reaches or on session events from main, never on sleeps.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { expect, type AppHandle } from './fixtures';
import { demoPatient, type DemoPatientKey } from '../../src-main/records/demo-data/fixed-patients';
import { DEMO_CARDS } from '../../src-main/card/demo/catalogue';
import { formatNhsNumber } from '../../src-shared/domain/nhs-number';
import type { StethoscopeApi } from '../../src-shared/ipc/contract';

// The page's bridge, as the renderer sees it (page.evaluate callbacks run there).
declare global {
  interface Window {
    readonly stethoscope: StethoscopeApi;
  }
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export type DemoCardId = (typeof DEMO_CARDS)[number]['id'];

export function card(id: DemoCardId) {
  const c = DEMO_CARDS.find((x) => x.id === id);
  if (!c) throw new Error(`no demo card ${id}`);
  return c;
}

export function patient(key: DemoPatientKey) {
  return demoPatient(key);
}

/** The screen shown now, as the renderer labels its <main>. */
export function screen(page: Page, name: string) {
  return page.locator(`main[data-screen="${name}"]`);
}

/** Inserts a demo card through the demo reader panel, as a demonstrator would. */
export async function insertCard(page: Page, id: DemoCardId): Promise<void> {
  const panel = page.getByTestId('demo-reader');
  await panel
    .locator(`[data-card-id="${id}"]`)
    .getByRole('button', { name: /^Insert/ })
    .click();
  await expect(panel.locator(`[data-card-id="${id}"]`)).toContainText('(in the reader)');
}

export async function removeCard(page: Page): Promise<void> {
  await page.getByTestId('demo-reader').getByRole('button', { name: 'Remove card' }).click();
}

export async function enterPin(
  page: Page,
  pin: string,
  button: 'Sign in' | 'Unlock' = 'Sign in',
): Promise<void> {
  await page.getByLabel('Enter your PIN').fill(pin);
  await page.getByRole('button', { name: button }).click();
}

/** Inserts the card, enters its PIN and (for cards with several roles) picks the role; ends on patient search. */
export async function signIn(app: AppHandle, id: DemoCardId, roleOrg?: string): Promise<void> {
  const { page } = app;
  await insertCard(page, id);
  await expect(screen(page, 'pin')).toBeVisible();
  await enterPin(page, card(id).pin);
  if (roleOrg) {
    await expect(screen(page, 'role-select')).toBeVisible();
    await page.getByLabel(new RegExp(roleOrg)).check();
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
}

/** Types the NHS number digit by digit (the field groups it as typed), searches and selects the one result. */
export async function openPatientByNhs(page: Page, key: DemoPatientKey): Promise<void> {
  const p = patient(key);
  const field = page.getByLabel('NHS number', { exact: true });
  await field.pressSequentially(p.nhsNumber);
  await expect(field).toHaveValue(formatNhsNumber(p.nhsNumber));
  await page.getByRole('button', { name: 'Search by NHS number' }).click();
  await expect(page.getByRole('heading', { name: '1 patient found' })).toBeVisible();
  await page.getByRole('button', { name: /^Select/ }).click();
  await expect(page.getByTestId('patient-banner')).toContainText(formatNhsNumber(p.nhsNumber));
}

export async function recordPermissionGiven(page: Page): Promise<void> {
  await expect(screen(page, 'permission')).toBeVisible();
  await page.getByLabel('Yes, the patient gave permission').check();
  await page.getByRole('button', { name: 'Record permission and view record' }).click();
  await expect(page.getByTestId('access-banner')).toBeVisible();
}

/** Runs axe-core on the current page for WCAG 2.2 AA and fails with the violations listed. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await injectAxe(page);
  const violations = await page.evaluate(async (tags) => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations as {
      id: string;
      impact: string;
      help: string;
      nodes: { target: string[]; failureSummary: string }[];
    }[];
  }, WCAG_TAGS);
  const summary = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.map((n) => `   ${n.target.join(' ')}: ${n.failureSummary}`).join('\n'),
  );
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/**
 * Axe in the day theme, then in the night theme (the status bar's toggle), back to day after. With `shot`, a
 * screenshot of each (`shot`, `shot-night`).
 */
export async function expectAccessibleDayAndNight(
  app: AppHandle,
  what: string,
  shot?: string,
): Promise<void> {
  const { page } = app;
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: 'Night theme' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(html).not.toHaveClass(/app-night/);
  await expectAccessible(page, `${what} (day)`);
  if (shot) await app.screenshot(shot);
  await toggle.click();
  await expect(html).toHaveClass(/app-night/);
  await expectAccessible(page, `${what} (night)`);
  if (shot) await app.screenshot(`${shot}-night`);
  await toggle.click();
  await expect(html).not.toHaveClass(/app-night/);
}

/**
 * Puts axe-core into the page. The app's CSP (script-src 'self') rightly blocks an inline <script>, so
 * addScriptTag({ content }) cannot work; axe is evaluated through the DevTools protocol instead (page.evaluate),
 * which CSP does not govern. The page's CSP stays on: nothing is bypassed.
 */
async function injectAxe(page: Page): Promise<void> {
  const present = await page.evaluate(() => 'axe' in window);
  if (present) return;
  await page.evaluate(axeSource);
  const ok = await page.evaluate(() => 'axe' in window);
  if (!ok) throw new Error('axe-core could not be loaded into the page');
}

/** Texts that identify a patient or their record: name, NHS number (both forms) and the given item texts. */
export function patientStrings(key: DemoPatientKey, items: string[] = []): string[] {
  const p = patient(key);
  const [given, family] = [p.name.split(' ')[0] ?? '', p.name.split(' ').slice(1).join(' ')];
  return [family, family.toUpperCase(), given, p.nhsNumber, formatNhsNumber(p.nhsNumber), ...items];
}

/** Fails if any of `needles` is in the DOM: its markup (attributes included), its text, or any form field's value. */
export async function expectNoneInDom(page: Page, needles: string[]): Promise<void> {
  const found = await page.evaluate((ns) => {
    const html = document.documentElement.outerHTML;
    const text = document.body.innerText;
    const values = [...document.querySelectorAll('input, textarea, select')]
      .map((el) => (el as HTMLInputElement).value)
      .join('\n');
    return ns.filter((n) => html.includes(n) || text.includes(n) || values.includes(n));
  }, needles);
  expect(found, 'patient data left in the DOM').toEqual([]);
}

/** Self-claims a legitimate relationship ("treating now") on the relationship screen. */
export async function claimRelationship(page: Page, account: string): Promise<void> {
  await expect(screen(page, 'relationship')).toBeVisible();
  await page.getByLabel('I am treating this patient now').check();
  await page.getByLabel('Describe your relationship with the patient').fill(account);
  await page.getByRole('button', { name: 'Record relationship and continue' }).click();
  await expect(screen(page, 'permission')).toBeVisible();
}

/**
 * Strings in the page's JavaScript heap that match `pattern`, from a heap snapshot taken after a full garbage
 * collection (Chrome DevTools protocol). Shows whether renderer memory, not just the DOM, still holds patient data.
 */
export async function heapStringsMatching(page: Page, pattern: RegExp): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const chunks: string[] = [];
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk));
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const snapshot = JSON.parse(chunks.join('')) as { strings: string[] };
    return snapshot.strings.filter((s) => pattern.test(s)).map((s) => s.slice(0, 120));
  } finally {
    await cdp.detach();
  }
}
