/**
 * The workstation's configuration, validated with zod.
 * Every field has a sensible default for demo mode; live mode needs trust anchors.
 */
import { z } from 'zod';

const Duration = z.number().positive();

export const AtnaConfig = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(6514),
  /** Server name checked against the server certificate (defaults to host). */
  serverName: z.string().optional(),
  caFile: z.string().min(1),
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
});

export const FhirAuditConfig = z.object({
  baseUrl: z.string().url(),
  caFile: z.string().optional(),
  certFile: z.string().optional(),
  keyFile: z.string().optional(),
});

export const ConfigSchema = z
  .object({
    mode: z.enum(['demo', 'live']).default('demo'),
    /** Folder for the audit log, records database, demo CA and workstation key. */
    dataDir: z.string().min(1),
    workstation: z
      .object({
        id: z.string().min(1).max(64).default('WS-DEMO-01'),
        /** PEM private key that signs audit checkpoints; created in dataDir when missing. */
        keyFile: z.string().optional(),
      })
      .default({ id: 'WS-DEMO-01' }),
    card: z
      .object({
        /** `pcsc` uses pcscd; `embedded` talks to the demo's in-process virtual card. */
        transport: z.enum(['pcsc', 'embedded']).default('embedded'),
        /** Only use readers whose name contains this text. */
        readerFilter: z.string().optional(),
        /** PEM files of trusted root certificates (clinician-card CA and role authority chain to these). */
        trustAnchors: z.array(z.string().min(1)).default([]),
        /** DER or PEM CRL files; when present, revocation is checked. */
        crls: z.array(z.string().min(1)).default([]),
        idleLockMinutes: Duration.default(15),
        /** Deadline of each card exchange: a card that does not answer in time is refused as unreadable. */
        exchangeTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
      })
      .default({
        transport: 'embedded',
        trustAnchors: [],
        crls: [],
        idleLockMinutes: 15,
        exchangeTimeoutMs: 5000,
      }),
    records: z
      .object({
        /** SQLite file of the local record source; demo mode generates one when missing. */
        database: z.string().optional(),
        /** JSON policy file (activities, approved MIG organisations); defaults from the access policy spec. */
        policyFile: z.string().optional(),
        demoPatients: z.number().int().min(1).max(1_000_000).default(200),
      })
      .default({ demoPatients: 200 }),
    encounter: z
      .object({
        permissionHours: Duration.default(8),
        overrideHours: Duration.default(4),
      })
      .default({ permissionHours: 8, overrideHours: 4 }),
    audit: z
      .object({
        /** SQLite audit log; defaults to dataDir/audit.sqlite. */
        database: z.string().optional(),
        atna: AtnaConfig.optional(),
        fhir: FhirAuditConfig.optional(),
      })
      .default({}),
  })
  .strict();

export type AppConfig = z.infer<typeof ConfigSchema>;
export type AppConfigInput = z.input<typeof ConfigSchema>;
