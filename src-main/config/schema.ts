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
};

const records = z
  .object({
    /** SQLite file of the local record source; demo mode generates one when missing. */
    database: Path.optional(),
    /** JSON policy file (activities, approved MIG organisations); defaults from the access policy spec. */
    policyFile: Path.optional(),
    demoPatients: z.number().int().min(1).max(1_000_000).default(200),
  })
  .strict()
  .default({ demoPatients: 200 });

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

const common = {
  /** Folder for the audit log, records database, workstation key (and, in demo mode, the demo CA and cards). */
  dataDir: Path,
  records,
  encounter,
  audit,
};

export const DemoConfig = z
  .object({
    mode: z.literal('demo'),
    ...common,
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
      .default({ transport: 'embedded', trustAnchors: [], crls: [], idleLockMinutes: 15 }),
  })
  .strict();

export const LiveConfig = z
  .object({
    mode: z.literal('live'),
    ...common,
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
