/**
 * Formats one queued AuditEvent as an RFC 5424 syslog message (IHE ITI-20) and frames it for RFC 5425 TLS
 * transport (octet counting: `MSG-LEN SP SYSLOG-MSG`).
 */
import type { OutboxItem } from '../../types';
import { readHeaderFields, type HeaderFields } from '../audit-event-fields';

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
  // Events recorded together share their time: remember the last answer (a pure function of the input).
  if (iso === lastIso) return lastTimestamp;
  const t = Date.parse(iso);
  lastTimestamp = Number.isNaN(t) ? '-' : new Date(t).toISOString();
  lastIso = iso;
  return lastTimestamp;
}
let lastIso: string | null = null;
let lastTimestamp = '-';

/** `HOSTNAME APP-NAME PROCID`, the same for every message of a sender: remembered for the last one. */
function senderFields(info: SyslogHeaderInfo): string {
  if (info.hostname !== lastSender.hostname || info.procId !== lastSender.procId) {
    lastSender = {
      hostname: info.hostname,
      procId: info.procId,
      text: `${headerField(info.hostname, 255)} ${APP_NAME} ${headerField(info.procId, 128)}`,
    };
  }
  return lastSender.text;
}
let lastSender = { hostname: '', procId: '', text: `- ${APP_NAME} -` };

/** PARAM-VALUE escaping: '"', '\' and ']' must be escaped (RFC 5424 6.3.3). */
function sdValue(v: string): string {
  return v.replace(/["\\\]]/g, (c) => `\\${c}`);
}

export interface SyslogHeaderInfo {
  /** HOSTNAME: the workstation id. */
  hostname: string;
  procId: string;
}

/**
 * Everything of the SYSLOG-MSG before the BOM and the JSON: `PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD `.
 * `fields` are the event's type code and outcome (readHeaderFields or readHeaderFieldsFromBytes).
 */
export function syslogHeader(
  item: Pick<OutboxItem, 'seq' | 'uuid' | 'recordedAt'>,
  fields: HeaderFields,
  info: SyslogHeaderInfo,
): string {
  const pri = FACILITY_AUTHPRIV * 8 + severityFor(fields.outcome);
  const msgId = headerField(fields.typeCode ?? 'AuditEvent', 32);
  const sd = `[${SD_ID} seq="${item.seq}" uuid="${sdValue(item.uuid)}"]`;
  return `<${pri}>1 ${timestamp(item.recordedAt)} ${senderFields(info)} ${msgId} ${sd} `;
}

/** The SYSLOG-MSG text (without framing). Throws if the queued JSON is not an AuditEvent. */
export function formatSyslogMessage(item: OutboxItem, info: SyslogHeaderInfo): string {
  return `${syslogHeader(item, readHeaderFields(item.json), info)}${BOM}${item.json}`;
}

/** RFC 5425 octet-counted frame as text: the length counts bytes of the UTF-8 message, BOM included. */
export function frameText(message: string): string {
  return `${Buffer.byteLength(message, 'utf8')} ${message}`;
}

/** The same frame as bytes. */
export function frame(message: string): Buffer {
  return Buffer.from(frameText(message), 'utf8');
}

/** The BOM that starts MSG, as UTF-8. */
const BOM_BYTES = Buffer.from(BOM, 'utf8');

/**
 * The frame of `header` + BOM + `json` (UTF-8 bytes), for writing straight into a buffer: the same bytes as
 * frame(header + BOM + json text), without building the 3 KB message as a string first.
 */
export interface FrameParts {
  prefix: string;
  header: string;
  json: Buffer;
  /** Total bytes of the frame. */
  size: number;
}

export function frameParts(header: string, json: Buffer): FrameParts {
  const messageBytes = Buffer.byteLength(header, 'utf8') + BOM_BYTES.length + json.length;
  const prefix = `${messageBytes} `;
  return { prefix, header, json, size: prefix.length + messageBytes };
}

/** Writes the frame at `offset` (the caller made room for `parts.size` bytes); returns the offset after it. */
export function writeFrame(buf: Buffer, offset: number, parts: FrameParts): number {
  let off = offset;
  off += buf.write(parts.prefix, off, 'latin1');
  off += buf.write(parts.header, off, 'utf8');
  off += BOM_BYTES.copy(buf, off);
  return off + parts.json.copy(buf, off);
}
