/**
 * Runs a real rsyslogd (Debian rsyslog + rsyslog-gnutls) for tests and benchmarks: a receiver on a private port
 * with imtcp over gtls and mutual authentication, writing every message from APP-NAME "stethoscope" to a file,
 * and optionally a forwarder (plain imptcp in, omfwd over gtls out) for the benchmark. Each instance runs in the
 * foreground with its own config, pid file and work directory, never the system's /etc/rsyslog.conf.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isListening, pollUntil } from './daemon';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const GTLS_MODULE = '/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so';

/** Fails loudly when the daemon or its TLS driver is missing (CI must install rsyslog and rsyslog-gnutls). */
export function assertRsyslogInstalled(): void {
  if (!existsSync(RSYSLOGD)) throw new Error(`${RSYSLOGD} is missing: install the Debian package rsyslog`);
  if (!existsSync(GTLS_MODULE))
    throw new Error(`${GTLS_MODULE} is missing: install the Debian package rsyslog-gnutls`);
}

export interface RsyslogReceiverOptions {
  /** Folder for config, pid file, work dir and output (created). */
  dir: string;
  port: number;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** The client name accepted under Authmode x509/name. */
  permittedPeer: string;
}

export interface RsyslogProcess {
  readonly port: number;
  /** Every received stethoscope message, one line each: `PRI TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG`. */
  readonly outputFile: string;
  /** rsyslog's own messages that go through its rules (other APP-NAMEs). */
  readonly internalFile: string;
  /** What rsyslogd printed on stdout/stderr since its last start (TLS refusals are reported there). */
  readonly diagnostics: string;
  readonly running: boolean;
  /** The rsyslogd process id while it runs (benchmarks read its CPU time from /proc). */
  readonly pid: number | null;
  /** Starts again with the same config and output file (appends). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function writeConf(path: string, text: string): void {
  writeFileSync(path, text.replace(/^\s+/gm, '').trim() + '\n');
}

class RsyslogInstance implements RsyslogProcess {
  private child: ChildProcess | null = null;
  private stderr = '';

  constructor(
    readonly port: number,
    private readonly confFile: string,
    private readonly pidFile: string,
    readonly outputFile: string,
    readonly internalFile: string,
  ) {}

  get diagnostics(): string {
    return this.stderr;
  }

  get pid(): number | null {
    return this.running ? (this.child?.pid ?? null) : null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (isListening(this.port)) throw new Error(`port ${this.port} is already in use; cannot start rsyslogd`);
    this.stderr = '';
    const child = spawn(RSYSLOGD, ['-n', '-f', this.confFile, '-i', this.pidFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // rsyslog reports TLS refusals on stderr; STETH_RSYSLOG_VERBOSE=1 shows them (RSYSLOG_DEBUG is rsyslog's own).
    if (process.env['STETH_RSYSLOG_VERBOSE']) {
      child.stderr?.pipe(process.stderr);
      child.stdout?.pipe(process.stderr);
    }
    this.child = child;
    try {
      await pollUntil(`rsyslogd to listen on ${this.port}`, () => {
        if (!this.running) throw new Error(`rsyslogd exited at start: ${this.stderr.trim()}`);
        return isListening(this.port);
      });
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

function checkConfig(confFile: string): void {
  const r = spawnSync(RSYSLOGD, ['-N1', '-f', confFile], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`rsyslogd rejected ${confFile}: ${r.stderr || r.stdout}`);
}

/** The receiving rsyslog: imtcp + gtls, mutual TLS, Authmode x509/name. Not started yet. */
export function createRsyslogReceiver(o: RsyslogReceiverOptions): RsyslogProcess {
  assertRsyslogInstalled();
  mkdirSync(join(o.dir, 'work'), { recursive: true });
  const confFile = join(o.dir, 'rsyslog.conf');
  const outputFile = join(o.dir, 'received.log');
  const internalFile = join(o.dir, 'rsyslog-internal.log');
  writeConf(
    confFile,
    `global(
      workDirectory="${join(o.dir, 'work')}"
      maxMessageSize="64k"
      defaultNetstreamDriver="gtls"
      defaultNetstreamDriverCAFile="${o.caFile}"
      defaultNetstreamDriverCertFile="${o.certFile}"
      defaultNetstreamDriverKeyFile="${o.keyFile}"
    )
    module(load="imtcp" maxSessions="200"
      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="x509/name"
      permittedPeer=["${o.permittedPeer}"]
      gnutlsPriorityString="NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2")
    input(type="imtcp" port="${o.port}" address="127.0.0.1")
    template(name="stethLine" type="string" string="%pri% %timereported:::date-rfc3339% %hostname% %app-name% %procid% %msgid% %structured-data% %msg%\\n")
    if $app-name == "stethoscope" then {
      action(type="omfile" file="${outputFile}" template="stethLine" ioBufferSize="256k" flushOnTXEnd="on")
      stop
    }
    action(type="omfile" file="${internalFile}")
    `,
  );
  checkConfig(confFile);
  return new RsyslogInstance(o.port, confFile, join(o.dir, 'rsyslogd.pid'), outputFile, internalFile);
}

export interface RsyslogForwarderOptions {
  dir: string;
  /** Plain TCP port it reads octet-counted RFC 5424 frames on. */
  inputPort: number;
  targetPort: number;
  targetName: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** A forwarding rsyslog: imptcp (plain) in, omfwd over gtls with mutual TLS out. Not started yet. */
export function createRsyslogForwarder(o: RsyslogForwarderOptions): RsyslogProcess {
  assertRsyslogInstalled();
  mkdirSync(join(o.dir, 'work'), { recursive: true });
  const confFile = join(o.dir, 'rsyslog.conf');
  const internalFile = join(o.dir, 'rsyslog-internal.log');
  writeConf(
    confFile,
    `global(
      workDirectory="${join(o.dir, 'work')}"
      maxMessageSize="64k"
      defaultNetstreamDriverCAFile="${o.caFile}"
      defaultNetstreamDriverCertFile="${o.certFile}"
      defaultNetstreamDriverKeyFile="${o.keyFile}"
    )
    module(load="imptcp")
    input(type="imptcp" port="${o.inputPort}" address="127.0.0.1" supportOctetCountedFraming="on")
    if $app-name == "stethoscope" then {
      action(type="omfwd" target="127.0.0.1" port="${o.targetPort}" protocol="tcp"
        tcp_framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"
        streamDriver="gtls" streamDriverMode="1" streamDriverAuthMode="x509/name"
        streamDriverPermittedPeers="${o.targetName}"
        queue.type="LinkedList" queue.size="200000" queue.dequeueBatchSize="1024"
        action.resumeRetryCount="-1")
      stop
    }
    action(type="omfile" file="${internalFile}")
    `,
  );
  checkConfig(confFile);
  return new RsyslogInstance(
    o.inputPort,
    confFile,
    join(o.dir, 'rsyslogd.pid'),
    join(o.dir, 'unused'),
    internalFile,
  );
}

/** One received message as the receiver wrote it. */
export interface ReceivedSyslog {
  pri: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  seq: number;
  uuid: string;
  msg: string;
}

const LINE_RE =
  /^(\d+) (\S+) (\S+) (\S+) (\S+) (\S+) \[stethoscope@32473 seq="(\d+)" uuid="([0-9a-f-]{36})"[^\]]*\](?:\[[^\]]*\])* (.*)$/;

/** Parses the receiver's output file; throws on a line it does not understand (so garbling is caught). */
export function readReceived(file: string): ReceivedSyslog[] {
  if (!existsSync(file)) return [];
  const out: ReceivedSyslog[] = [];
  const text = readFileSync(file, 'utf8');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = LINE_RE.exec(line);
    if (!m) throw new Error(`unexpected line in ${file}: ${line.slice(0, 200)}`);
    out.push({
      pri: Number(m[1]),
      timestamp: m[2] as string,
      hostname: m[3] as string,
      appName: m[4] as string,
      procId: m[5] as string,
      msgId: m[6] as string,
      seq: Number(m[7]),
      uuid: m[8] as string,
      msg: m[9] as string,
    });
  }
  return out;
}

/** Counts complete lines without parsing (cheap, for polling). */
export function countLines(file: string): number {
  if (!existsSync(file)) return 0;
  if (statSync(file).size === 0) return 0;
  const buf = readFileSync(file);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
