/**
 * Formats one queued AuditEvent as an RFC 5424 syslog message (IHE ITI-20) and frames it for RFC 5425 TLS
 * transport (octet counting: `MSG-LEN SP SYSLOG-MSG`).
 */
import type { OutboxItem } from '../../types';
import { readHeaderFields } from '../audit-event-fields';

/** authpriv: security/authorisation messages (RFC 5424 table 1). */
export const FACILITY_AUTHPRIV = 10;
/** Our SD-ID. 32473 is the enterprise number RFC 5612 reserves for documentation and examples. */
export const SD_ID = 'stethoscope@32473';
export const APP_NAME = 'stethoscope';

const BOM = '\ufeff';

/** Severity by AuditEvent.outcome: success is a notice, failures rise with their seriousness. */
export function severityFor(outcome: string | null): number {
  switch (outcome) {
    case '4':
      return 4; // warning: minor failure
    case '8':
      return 3; // error: serious failure
    case '12':
      return 2; // critical: major failure
    default:
      return 5; // notice: success ('0') or not stated
  }
}

/** Keeps only PRINTUSASCII (33..126) and cuts to max; '-' (NILVALUE) when nothing is left. */
export function headerField(value: string, max: number): string {
  const cleaned = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return cleaned === '' ? '-' : cleaned;
}

/** RFC 5424 TIMESTAMP from an ISO time; NILVALUE if it cannot be read. */
function timestamp(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '-' : new Date(t).toISOString();
}

/** PARAM-VALUE escaping: '"', '\' and ']' must be escaped (RFC 5424 6.3.3). */
function sdValue(v: string): string {
  return v.replace(/["\\\]]/g, (c) => `\\${c}`);
}

export interface SyslogHeaderInfo {
  /** HOSTNAME: the workstation id. */
  hostname: string;
  procId: string;
}

/** The SYSLOG-MSG text (without framing). Throws if the queued JSON is not an AuditEvent. */
export function formatSyslogMessage(item: OutboxItem, info: SyslogHeaderInfo): string {
  const f = readHeaderFields(item.json);
  const pri = FACILITY_AUTHPRIV * 8 + severityFor(f.outcome);
  const msgId = headerField(f.typeCode ?? 'AuditEvent', 32);
  const sd = `[${SD_ID} seq="${item.seq}" uuid="${sdValue(item.uuid)}"]`;
  return (
    `<${pri}>1 ${timestamp(item.recordedAt)} ${headerField(info.hostname, 255)} ${APP_NAME} ` +
    `${headerField(info.procId, 128)} ${msgId} ${sd} ${BOM}${item.json}`
  );
}

/** RFC 5425 octet-counted frame as text: the length counts bytes of the UTF-8 message, BOM included. */
export function frameText(message: string): string {
  return `${Buffer.byteLength(message, 'utf8')} ${message}`;
}

/** The same frame as bytes. */
export function frame(message: string): Buffer {
  return Buffer.from(frameText(message), 'utf8');
}
