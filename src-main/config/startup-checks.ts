/**
 * Checks a validated configuration against the file system before anything starts, as `ssh` does with its keys:
 * what the schema cannot see. Live mode refuses to start when demo material sits in its data folder, when a trust
 * anchor is missing, unreadable or a demo CA, and (both modes) when a private key file is readable by anyone but
 * its owner. `stethoscope config check` reports the same problems.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { DEMO_DATA_FOLDERS, DEMO_CA_ORGANISATION } from '../card/demo/demo-folders';
import type { AppConfig } from './schema';

export interface StartupProblem {
  /** The configuration field the problem is about, e.g. "card.trustAnchors[0]". */
  field: string;
  reason: string;
}

const statOrNull = (path: string): Stats | null => {
  try {
    return statSync(path);
  } catch {
    return null;
  }
};

/** Private key files named by the configuration, with the field that names each. */
function keyFiles(config: AppConfig): { field: string; path: string }[] {
  const out: { field: string; path: string }[] = [];
  out.push({
    field: 'workstation.keyFile',
    path: config.workstation.keyFile ?? join(config.dataDir, 'workstation-key.pem'),
  });
  if (config.audit.atna) out.push({ field: 'audit.atna.keyFile', path: config.audit.atna.keyFile });
  if (config.audit.fhir?.keyFile) out.push({ field: 'audit.fhir.keyFile', path: config.audit.fhir.keyFile });
  if (config.mode === 'live') {
    for (const [name, s] of Object.entries(config.records.services)) {
      if (s.keyFile) out.push({ field: `records.services.${name}.keyFile`, path: s.keyFile });
    }
    const repo = config.review.repository;
    if (repo?.keyFile) out.push({ field: 'review.repository.keyFile', path: repo.keyFile });
  }
  return out;
}

/** A key file that exists must be readable and writable by its owner only (no group or other bits). */
function keyFileProblems(config: AppConfig): StartupProblem[] {
  const problems: StartupProblem[] = [];
  for (const { field, path } of keyFiles(config)) {
    const st = statOrNull(path);
    if (!st) continue; // the workstation key is created (0600) on first start; a missing TLS key is reported where it is used
    if ((st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      problems.push({
        field,
        reason: `the private key ${path} has permissions ${mode}, so others can read it; make it readable by its owner only (chmod 600 ${path})`,
      });
    }
  }
  return problems;
}

function trustAnchorProblems(files: readonly string[]): StartupProblem[] {
  const problems: StartupProblem[] = [];
  files.forEach((file, i) => {
    const field = `card.trustAnchors[${i}]`;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      problems.push({ field, reason: `the trust anchor file ${file} cannot be read` });
      return;
    }
    let certs: x509.X509Certificate[];
    try {
      certs = x509.PemConverter.decode(text).map((der) => new x509.X509Certificate(der));
    } catch {
      certs = [];
    }
    if (certs.length === 0) {
      problems.push({ field, reason: `the trust anchor file ${file} holds no PEM certificate` });
      return;
    }
    if (certs.some((c) => c.subjectName.getField('O').includes(DEMO_CA_ORGANISATION))) {
      problems.push({
        field,
        reason: `${file} is a demo certificate authority, which live mode never trusts`,
      });
    }
  });
  return problems;
}

/** Every reason this configuration must not start, in the order a reader would fix them. */
export function startupProblems(config: AppConfig): StartupProblem[] {
  const problems: StartupProblem[] = [];
  const dir = statOrNull(config.dataDir);
  if (dir && !dir.isDirectory())
    problems.push({ field: 'dataDir', reason: `${config.dataDir} is not a folder` });
  if (config.mode === 'live') {
    for (const name of DEMO_DATA_FOLDERS) {
      if (statOrNull(join(config.dataDir, name))) {
        problems.push({
          field: 'dataDir',
          reason: `${join(config.dataDir, name)} holds demo material (demo mode's "${name}" folder); live mode will not start beside it: use a data folder of its own`,
        });
      }
    }
    problems.push(...trustAnchorProblems(config.card.trustAnchors));
  }
  problems.push(...keyFileProblems(config));
  return problems;
}

/** One message for a list of problems: each on its own line, field first. */
export function describeProblems(problems: readonly StartupProblem[]): string {
  return problems.map((p) => `✖ ${p.reason}\n  → at ${p.field}`).join('\n');
}
