/**
 * What an attacker with the file would run, as SQL text: the unit tests feed it to better-sqlite3, the
 * integration tests to the sqlite3 command-line tool. Each drops the append-only trigger it must get past and
 * (unless told otherwise) puts it back afterwards, so the chain, not the missing trigger, has to catch it.
 */
import { APPEND_ONLY_TRIGGERS } from '../../../src-main/audit/log/migrations/append-only';

function trigger(name: string): string {
  const t = APPEND_ONLY_TRIGGERS.find((x) => x.name === name);
  if (!t) throw new Error(`no trigger ${name}`);
  return `${t.sql};`;
}

const int = (n: number) => {
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a sequence number: ${n}`);
  return String(n);
};

function around(names: string[], body: string, restore: boolean): string {
  return [
    // better-sqlite3 turns foreign keys on by default (the sqlite3 tool does not); an attacker turns them off.
    'PRAGMA foreign_keys = OFF;',
    ...names.map((n) => `DROP TRIGGER ${n};`),
    body,
    ...(restore ? names.map(trigger) : []),
  ].join('\n');
}

/** Changes one byte of event `seq`: its outcome code 0 becomes 4. */
export function editOneByte(seq: number, restore = true): string {
  return around(
    ['audit_log_no_update'],
    `UPDATE audit_log SET json = replace(json, '"outcome":"0"', '"outcome":"4"') WHERE seq = ${int(seq)};`,
    restore,
  );
}

export function deleteRow(seq: number, restore = true): string {
  return around(['audit_log_no_delete'], `DELETE FROM audit_log WHERE seq = ${int(seq)};`, restore);
}

/** Swaps the positions of events `seq` and `seq + 1`. */
export function swapWithNext(seq: number, restore = true): string {
  const a = int(seq);
  const b = int(seq + 1);
  return around(
    ['audit_log_no_update'],
    [
      `UPDATE audit_log SET seq = seq + 1000000000 WHERE seq IN (${a}, ${b});`,
      `UPDATE audit_log SET seq = ${b} WHERE seq = ${a} + 1000000000;`,
      `UPDATE audit_log SET seq = ${a} WHERE seq = ${b} + 1000000000;`,
    ].join('\n'),
    restore,
  );
}

/**
 * Removes every event after `keep`. `thorough` also removes what points past the new end (outbox items,
 * checkpoint index and delivery records), leaving only the remote copy of a checkpoint to tell.
 */
export function cutTail(keep: number, thorough = false, restore = true): string {
  const k = int(keep);
  const names = thorough
    ? ['audit_log_no_delete', 'checkpoint_no_delete', 'checkpoint_delivery_no_delete']
    : ['audit_log_no_delete'];
  const body = thorough
    ? [
        `DELETE FROM outbox WHERE seq > ${k};`,
        `DELETE FROM checkpoint_delivery WHERE event_seq > ${k};`,
        `DELETE FROM checkpoint WHERE event_seq > ${k};`,
        `DELETE FROM audit_log WHERE seq > ${k};`,
      ].join('\n')
    : `DELETE FROM audit_log WHERE seq > ${k};`;
  return around(names, body, restore);
}

export const dropTriggers = ['DROP TRIGGER audit_log_no_update;', 'DROP TRIGGER audit_log_no_delete;'].join(
  '\n',
);

/**
 * Extra schema objects an attacker adds so that appends vanish or are rewritten without touching our own
 * triggers. `swallow` is the reported attack: every new audit row silently dropped (RAISE(IGNORE)).
 */
export const extraObjects = {
  swallow: 'CREATE TRIGGER swallow BEFORE INSERT ON audit_log BEGIN SELECT RAISE(IGNORE); END;',
  unqueue: 'CREATE TRIGGER unqueue AFTER INSERT ON outbox BEGIN DELETE FROM outbox WHERE seq = NEW.seq; END;',
  view: 'CREATE VIEW innocent AS SELECT seq FROM audit_log;',
  index: 'CREATE INDEX audit_log_by_time ON audit_log (recorded_at);',
  table: 'CREATE TABLE notes (x TEXT) STRICT;',
} as const;
