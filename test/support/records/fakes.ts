/**
 * In-process collaborators for records/policy/encounter unit tests: a SessionPort whose user, PIN answer and
 * changes the test controls, an audit trail that keeps what it receives (and can be made to fail), an in-memory
 * RecordSource, and a clock the test moves.
 */
import type { RoleProfile } from '../../../src-shared/domain/rbac';
import type {
  PatientSummary,
  PreferenceChange,
  SharingPreferences,
} from '../../../src-shared/domain/records';
import { AuditUnavailableError, type AuditEntry, type AuditReceipt } from '../../../src-main/audit/types';
import type { SourceItem, CareOrganisations, Organisation } from '../../../src-main/domain/record-items';
import type {
  DemographicQuery,
  PreferenceUpdate,
  PreferencesState,
  RecordSource,
  SourceContext,
} from '../../../src-main/records/source/types';
import { DEFAULT_PREFERENCES } from '../../../src-main/domain/record-items';
import { join } from 'node:path';
import { issueCard, loadCa, type CaBundle } from '../../../src-main/card/issue/index';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import {
  TokenUnavailableError,
  type PinCheck,
  type SessionChange,
  type SessionPort,
  type SignedInUser,
  type UserTokenPort,
} from '../../../src-main/session/port';
import { makeToken } from '../sandbox/tokens';

export class FakeSession implements SessionPort {
  user: SignedInUser | null = null;
  pin = '123456';
  pinAnswer: PinCheck | null = null;
  pinChecks = 0;
  private listeners = new Set<(c: SessionChange, u: SignedInUser | null, sessionId: string) => void>();
  /** The session the last change was about (what listeners are told when `user` is null). */
  private about = 'no-session';
  private n = 0;

  current() {
    return this.user;
  }
  async verifyPin(pin: string): Promise<PinCheck> {
    this.pinChecks++;
    if (this.pinAnswer) return this.pinAnswer;
    return pin === this.pin ? { ok: true } : { ok: false, reason: 'wrong-pin', triesLeft: 2 };
  }
  onChange(listener: (c: SessionChange, u: SignedInUser | null, sessionId: string) => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
  /** Tells listeners of a change to the current user's session (or the last one, once `user` is null). */
  emit(change: SessionChange, sessionId: string = this.user?.sessionId ?? this.about) {
    this.about = sessionId;
    for (const l of this.listeners) l(change, this.user, sessionId);
  }
  /** Signs in a new session with this role profile (and tells listeners). */
  signIn(role: Partial<RoleProfile> & Pick<RoleProfile, 'orgCode' | 'orgType' | 'activities'>): SignedInUser {
    this.n++;
    this.user = {
      sessionId: `session-${this.n}`,
      holder: { displayName: 'Dr Test User', userId: '555000000001' },
      role: {
        urid: `555000000001-${this.n}`,
        orgName: 'Test organisation',
        roleCode: 'R8000',
        roleName: 'Clinical Practitioner Access Role',
        ...role,
      },
    };
    this.emit('signed-in');
    return this.user;
  }
  listenerCount() {
    return this.listeners.size;
  }
}

export class RecordingAudit {
  entries: AuditEntry[] = [];
  failing = false;
  record(entry: AuditEntry): AuditReceipt {
    if (this.failing) throw new AuditUnavailableError('disk full (test)');
    this.entries.push(entry);
    return { seq: this.entries.length, uuid: `uuid-${this.entries.length}` };
  }
}

export class TestClock {
  constructor(public ms: number) {}
  now() {
    return this.ms;
  }
  advanceHours(h: number) {
    this.ms += h * 3_600_000;
  }
}

export interface MemoryPatient {
  summary: PatientSummary;
  items: SourceItem[];
  care: CareOrganisations;
  preferences?: SharingPreferences;
}

export class MemorySource implements RecordSource {
  patients = new Map<string, MemoryPatient>();
  orgs = new Map<string, Organisation>();
  history = new Map<string, PreferenceChange[]>();
  /** Every call's context, for tests of cancellation and correlation. */
  contexts: SourceContext[] = [];
  /** When set, every call waits for it (a slow service). */
  gate: Promise<void> | null = null;

  add(p: MemoryPatient) {
    this.patients.set(p.summary.nhsNumber, p);
  }
  private async answer<T>(ctx: SourceContext, value: () => T): Promise<T> {
    this.contexts.push(ctx);
    ctx.signal.throwIfAborted();
    if (this.gate) await this.gate;
    ctx.signal.throwIfAborted();
    return value();
  }
  getPatient(nhs: string, ctx: SourceContext) {
    return this.answer(ctx, () => this.patients.get(nhs)?.summary ?? null);
  }
  searchByNhsNumber(nhs: string, ctx: SourceContext) {
    return this.answer(ctx, () => {
      const p = this.patients.get(nhs)?.summary;
      return p ? [p] : [];
    });
  }
  searchByDemographics({ family, given, birthDate }: DemographicQuery, ctx: SourceContext) {
    return this.answer(ctx, () =>
      [...this.patients.values()]
        .map((p) => p.summary)
        .filter((s) => s.family.toLowerCase() === family.toLowerCase() && s.birthDate === birthDate)
        .filter((s) => !given || s.given.some((g) => g.toLowerCase().startsWith(given.toLowerCase()))),
    );
  }
  getItems(nhs: string, ctx: SourceContext) {
    return this.answer(ctx, () => this.patients.get(nhs)?.items ?? []);
  }
  getCareOrganisations(nhs: string, ctx: SourceContext) {
    return this.answer(
      ctx,
      (): CareOrganisations =>
        this.patients.get(nhs)?.care ?? { registeredWith: null, referredTo: [], treatedBy: [] },
    );
  }
  private preferencesOf(nhs: string): PreferencesState {
    return {
      current: this.patients.get(nhs)?.preferences ?? DEFAULT_PREFERENCES,
      history: this.history.get(nhs) ?? [],
    };
  }
  getPreferences(nhs: string, ctx: SourceContext) {
    return this.answer(ctx, () => this.preferencesOf(nhs));
  }
  setPreferences(nhs: string, u: PreferenceUpdate, ctx: SourceContext) {
    return this.answer(ctx, () => {
      const p = this.patients.get(nhs);
      if (!p) throw new Error('unknown patient');
      const from = p.preferences ?? DEFAULT_PREFERENCES;
      p.preferences = u.to;
      const h = this.history.get(nhs) ?? [];
      h.push({
        at: u.at,
        byUserId: u.byUserId,
        byName: u.byName,
        from,
        to: u.to,
        patientStatement: u.patientStatement,
      });
      this.history.set(nhs, h);
      return this.preferencesOf(nhs);
    });
  }
  close() {}
}

/**
 * Tokens for a FakeSession's user against demo mode's in-process record services: a card for that user is
 * issued from the demo CA in `dataDir` (made by the workstation at start), and each token is signed with its key,
 * as the card would sign it after the PIN.
 */
export function demoCardTokens(dataDir: string, session: FakeSession): UserTokenPort {
  const cards = new Map<string, Promise<{ ca: CaBundle; profile: CardProfile }>>();
  return {
    async token(audience) {
      const user = session.current();
      if (!user) throw new TokenUnavailableError('signed-out', 'Nobody is signed in.');
      const key = `${user.holder.userId}|${user.role.urid}`;
      let card = cards.get(key);
      if (!card) {
        card = (async () => {
          const ca = await loadCa(join(dataDir, 'ca'));
          const profile = await issueCard(ca, {
            displayName: user.holder.displayName,
            userId: user.holder.userId,
            pin: '123456',
            roles: [user.role],
          });
          return { ca, profile };
        })();
        cards.set(key, card);
      }
      const { ca, profile } = await card;
      return makeToken(profile, ca, { audience, role: user.role });
    },
  };
}
