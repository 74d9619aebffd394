/**
 * The workstation's configuration, validated with zod.
 *
 * A configuration states its mode. Demo mode (an embedded virtual card, a demo CA and synthetic patients in the
 * data folder) is what runs without a config file; a file must say `"mode": "demo"` to get it. Live mode has no
 * defaults for what decides who is trusted: the PC/SC transport, at least one trust anchor and the workstation's
 * own id must be given (docs/specs/card-profile.md). What the schema cannot see (files, folders, permissions) is
 * checked before start by `startupProblems` (./startup-checks.ts).
 */
import { z } from 'zod';

const Duration = z.number().positive();
const Path = z.string().min(1);

export const AtnaConfig = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(6514),
    /** Server name checked against the server certificate (defaults to host). */
    serverName: z.string().optional(),
    caFile: Path,
    certFile: Path,
    keyFile: Path,
  })
  .strict();

export const FhirAuditConfig = z
  .object({
    baseUrl: z.string().url(),
    caFile: Path.optional(),
    certFile: Path.optional(),
    keyFile: Path.optional(),
  })
  .strict();

const WorkstationId = z.string().min(1).max(64);
const NEEDS_TRUST_ANCHOR = 'live mode needs at least one trust anchor (the clinician-card root)';
const NEEDS_WORKSTATION_ID = "live mode needs the workstation's own id (workstation.id)";

const workstationFields = {
  /** PEM private key that signs audit checkpoints; created in dataDir when missing. */
  keyFile: Path.optional(),
};

const cardFields = {
  /** Only use readers whose name contains this text. */
  readerFilter: z.string().optional(),
  /** DER or PEM CRL files; when present, revocation is checked. */
  crls: z.array(Path).default([]),
  idleLockMinutes: Duration.default(15),
  /** Deadline of each card exchange: a card that does not answer in time is refused as unreadable. */
  exchangeTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
  sessions: z
    .object({
      /** Shared workstations keep one locked session per card; at most this many (the oldest locked goes first). */
      max: z.number().int().min(1).max(32).default(8),
      /** A locked session is signed out after this many hours. */
      lockedSignOutHours: z.number().positive().max(72).default(8),
      /** What removing the card does to its session. */
      onRemoval: z.enum(['lock', 'sign-out']).default('lock'),
      /**
       * PIN grace: a card put back within this many minutes of its last PIN unlocks its own session without the
       * PIN being typed (0 = always ask). Read the hazard log (H-25) before raising it.
       */
      pinGraceMinutes: z.number().int().min(0).max(30).default(0),
    })
    .strict()
    .default({ max: 8, lockedSignOutHours: 8, onRemoval: 'lock', pinGraceMinutes: 0 }),
};

const recordFields = {
  /** JSON policy file (activities, approved MIG organisations); defaults from the access policy spec. */
  policyFile: Path.optional(),
};

const demoRecords = z
  .object({
    ...recordFields,
    /** How many synthetic patients the in-process record services hold (besides the fixed demo patients). */
    demoPatients: z.number().int().min(1).max(1_000_000).default(200),
  })
  .strict()
  .default({ demoPatients: 200 });

/** One remote record service (docs/specs/record-services.md): where it is and how the channel is secured. */
export const RecordServiceConfig = z
  .object({
    baseUrl: z
      .url({
        protocol: /^https$/,
        error: 'a record service is reached over HTTPS: give its https:// base URL',
      })
      .transform((u) => u.replace(/\/+$/, '')),
    /** PEM of the CA(s) the service's certificate must chain to. */
    caFile: Path,
    /** The workstation's client certificate and key for mutual TLS (both or neither). */
    certFile: Path.optional(),
    keyFile: Path.optional(),
    /** Whole-request deadline (default 10 s) and connect deadline (default 3 s). */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
    /** Largest answer accepted (default 10 MB). */
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
  })
  .strict()
  .refine((s) => (s.certFile === undefined) === (s.keyFile === undefined), {
    message: 'give both certFile and keyFile (mutual TLS), or neither',
  });
export type RecordServiceConfig = z.infer<typeof RecordServiceConfig>;

const NEEDS_SERVICES =
  'live mode needs records.services: the demographics, scr and sharedCare services it reads patients and records from';

const liveRecords = z
  .object(
    {
      ...recordFields,
      services: z
        .object(
          { demographics: RecordServiceConfig, scr: RecordServiceConfig, sharedCare: RecordServiceConfig },
          { error: (issue) => (issue.input === undefined ? NEEDS_SERVICES : undefined) },
        )
        .strict(),
    },
    { error: (issue) => (issue.input === undefined ? NEEDS_SERVICES : undefined) },
  )
  .strict();

const encounter = z
  .object({
    permissionHours: Duration.default(8),
    overrideHours: Duration.default(4),
  })
  .strict()
  .default({ permissionHours: 8, overrideHours: 4 });

const audit = z
  .object({
    /** SQLite audit log; defaults to dataDir/audit.sqlite. */
    database: Path.optional(),
    atna: AtnaConfig.optional(),
    fhir: FhirAuditConfig.optional(),
  })
  .strict()
  .default({});

const reviewFields = {
  /**
   * The organisation's pseudonymisation key for amber extracts (HMAC-SHA-256, at least 32 bytes; never exported).
   * Demo mode makes one in its data folder when this is not given.
   */
  pseudonymKeyFile: Path.optional(),
  /** How often a privacy officer's workstation asks the repository for new alerts (the new-alert notice). */
  noticeSeconds: z.number().int().min(5).max(3600).default(60),
};

/** Demo mode reviews alerts in its in-process audit repository. */
const demoReview = z.object(reviewFields).strict().default({ noticeSeconds: 60 });

/**
 * Live mode: the audit repository the privacy officer reviews alerts in (the FHIR endpoint workstations deliver
 * AuditEvents to, docs/specs/privacy-officer.md), reached like a record service with the officer's token.
 * Without it the review screens say this workstation has none.
 */
const liveReview = z
  .object({ repository: RecordServiceConfig.optional(), ...reviewFields })
  .strict()
  .default({ noticeSeconds: 60 });

const common = {
  /** Folder for the audit log, records database, workstation key (and, in demo mode, the demo CA and cards). */
  dataDir: Path,
  encounter,
  audit,
};

export const DemoConfig = z
  .object({
    mode: z.literal('demo'),
    ...common,
    records: demoRecords,
    review: demoReview,
    workstation: z
      .object({ id: WorkstationId.default('WS-DEMO-01'), ...workstationFields })
      .strict()
      .default({ id: 'WS-DEMO-01' }),
    card: z
      .object({
        /** `embedded` talks to the demo's in-process virtual card; `pcsc` uses pcscd. */
        transport: z.enum(['pcsc', 'embedded']).default('embedded'),
        /** PEM files of extra trusted roots, besides the demo CA in the data folder. */
        trustAnchors: z.array(Path).default([]),
        ...cardFields,
      })
      .strict()
      .default({
        transport: 'embedded',
        trustAnchors: [],
        crls: [],
        idleLockMinutes: 15,
        exchangeTimeoutMs: 5000,
        sessions: { max: 8, lockedSignOutHours: 8, onRemoval: 'lock', pinGraceMinutes: 0 },
      }),
  })
  .strict();

export const LiveConfig = z
  .object({
    mode: z.literal('live'),
    ...common,
    records: liveRecords,
    review: liveReview,
    workstation: z
      .object(
        { id: z.string({ error: NEEDS_WORKSTATION_ID }).min(1).max(64), ...workstationFields },
        { error: (issue) => (issue.input === undefined ? NEEDS_WORKSTATION_ID : undefined) },
      )
      .strict(),
    card: z
      .object({
        transport: z.literal('pcsc', {
          error:
            'live mode reads real cards: the transport must be "pcsc" (the embedded demo card is refused)',
        }),
        /**
         * PEM files of the trust bundle: the root(s), and the clinician-card CA and role authority certificates
         * that chain to them.
         */
        trustAnchors: z
          .array(Path, { error: (issue) => (issue.input === undefined ? NEEDS_TRUST_ANCHOR : undefined) })
          .min(1, NEEDS_TRUST_ANCHOR),
        ...cardFields,
      })
      .strict(),
  })
  .strict();

export const ConfigSchema = z.discriminatedUnion('mode', [DemoConfig, LiveConfig], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? 'a configuration must state "mode": "live" or "demo" (demo mode runs only without a file or when stated)'
      : undefined,
});

export type AppConfig = z.infer<typeof ConfigSchema>;
export type AppConfigInput = z.input<typeof ConfigSchema>;
export type LiveAppConfig = z.infer<typeof LiveConfig>;
