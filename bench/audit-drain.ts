/**
 * Audit drain benchmark (issue 5, H4): a 50,000-event backlog in the real SQLite outbox shipped to a real rsyslogd
 * over RFC 5425 mutual TLS until rsyslog has written every message, beside rsyslog's own forwarding of the same
 * messages (a second rsyslogd, omfwd over gtls, into the same receiver) and a bare Node TLS writer of the same
 * frames as a floor, and a reference run of the same read and framing without the delivery guarantees. Called by
 * bench/audit.ts.
 *
 * It also reports the CPU time each party used in the same runs (this process without its line-counting thread,
 * each rsyslogd from /proc): on a machine with few cores the wall times follow the sums of these.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  AtnaTransport,
  atnaOptionsFromFiles,
  FrameChunks,
} from '../src-main/audit/shipping/atna/atna-transport';
import { formatSyslogMessage, frameText } from '../src-main/audit/shipping/atna/syslog-message';
import { Shipper } from '../src-main/audit/shipping/shipper';
import { SHIPPING_TUNING } from '../src-main/audit/shipping/workstation-shipping';
import { createMemoryLogger } from '../src-main/services/logger';
import { openTestTrail, recordBacklog } from '../test/support/audit-shipping/backlog';
import { CLIENT_NAME, createTestPki, SERVER_NAME } from '../test/support/audit-shipping/pki';
import { createRsyslogForwarder, createRsyslogReceiver } from '../test/support/audit-shipping/rsyslog';
import { round, type BenchContext, type BenchRow } from './types';

const RECEIVER_PORT = 46530;
const FORWARDER_PORT = 46531;
const EVENTS = 50_000;
const TARGET_MS = 2_000;

/**
 * Counts the lines rsyslog appends, in a worker thread: scanning 150 MB on the main thread would slow down the
 * shipper being measured (and not rsyslog), skewing the comparison.
 */
const COUNTER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const shared = new Int32Array(workerData.shared);
// Our thread id, so the bench can take this thread's CPU time out of the process's.
shared[2] = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
const buf = Buffer.allocUnsafe(1 << 20);
let offset = 0;
let lines = 0;
const nap = new Int32Array(new SharedArrayBuffer(4));
while (Atomics.load(shared, 1) === 0) {
  let fd = -1;
  try { fd = fs.openSync(workerData.file, 'r'); } catch {}
  if (fd !== -1) {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, offset);
      if (n <= 0) break;
      offset += n;
      for (let i = buf.indexOf(10); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) lines++;
    }
    fs.closeSync(fd);
    Atomics.store(shared, 0, lines);
  }
  Atomics.wait(nap, 0, 0, 2);
}
`;

interface Counter {
  count(): number;
  /** CPU time (ms) the counting thread has used so far. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_S =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of a process or thread from its /proc stat file, in ms. */
function procCpuMs(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`cannot read CPU time from ${statFile}`);
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

function rsyslogCpuMs(r: { pid: number | null }): number {
  if (r.pid === null) throw new Error('rsyslogd is not running');
  return procCpuMs(`/proc/${r.pid}/stat`);
}

/** This process's CPU time (all threads) in ms. */
function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function startCounter(file: string): Counter {
  const shared = new SharedArrayBuffer(12);
  const view = new Int32Array(shared);
  const worker = new Worker(COUNTER_SOURCE, { eval: true, workerData: { file, shared } });
  return {
    count: () => Atomics.load(view, 0),
    cpuMs: () => {
      const tid = Atomics.load(view, 2);
      return tid === 0 ? 0 : procCpuMs(`/proc/self/task/${tid}/stat`);
    },
    async stop() {
      Atomics.store(view, 1, 1);
      await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    },
  };
}

/** Waits (polling the count: rsyslog is an outside daemon) until `count` more lines were written. */
async function linesWritten(counter: Counter, count: number, timeoutMs = 300_000): Promise<void> {
  const target = counter.count() + count;
  const deadline = Date.now() + timeoutMs;
  while (counter.count() < target) {
    if (Date.now() > deadline)
      throw new Error(`rsyslog wrote ${counter.count()} of ${target} lines in ${timeoutMs} ms`);
    await delay(2);
  }
}

export async function drainBench(ctx: BenchContext): Promise<BenchRow[]> {
  const root = mkdtempSync('/tmp/steth-h4-bench-');
  const stops: (() => Promise<void> | void)[] = [];
  try {
    const pki = await createTestPki(join(root, 'pki'));
    const receiver = createRsyslogReceiver({
      dir: join(root, 'receiver'),
      port: RECEIVER_PORT,
      caFile: pki.caFile,
      ...pki.server,
      permittedPeer: CLIENT_NAME,
    });
    stops.push(() => receiver.stop());
    await receiver.start();
    // The "baseline" counter sees only lines appended after each run starts, so runs can share the receiver.
    const counter = startCounter(receiver.outputFile);
    stops.push(() => counter.stop());

    const trail = openTestTrail({ dir: join(root, 'log'), transports: ['atna'] });
    stops.push(() => trail.close());
    const head = recordBacklog(trail, EVENTS);
    ctx.log(`backlog: ${head} events (${EVENTS} + signed checkpoints) in the SQLite outbox`);
    // The same messages, pre-formatted, for the two reference runs.
    const hostInfo = { hostname: 'WS-TEST-01', procId: String(process.pid) };
    const frames = trail.outbox.next('atna', head).map((i) => frameText(formatSyslogMessage(i, hostInfo)));
    const payload = Buffer.from(frames.join(''), 'utf8');
    ctx.log(`payload: ${(payload.length / 1e6).toFixed(1)} MB of RFC 5425 frames`);

    // 1. Ours: outbox -> shipper -> AtnaTransport -> rsyslog, until rsyslog wrote them all.
    const transport = new AtnaTransport(
      atnaOptionsFromFiles({
        host: '127.0.0.1',
        port: RECEIVER_PORT,
        serverName: SERVER_NAME,
        caFile: pki.caFile,
        ...pki.client,
        workstationId: 'WS-TEST-01',
      }),
    );
    const shipper = new Shipper({
      outbox: trail.outbox,
      transport,
      log: createMemoryLogger(),
      ...SHIPPING_TUNING.atna,
    });
    stops.push(() => shipper.stop());
    // CPU time per party: this process without the line-counting thread (the same in every run), and each rsyslogd.
    const benchCpu = () => processCpuMs() - counter.cpuMs();
    let cpu0 = { bench: benchCpu(), receiver: rsyslogCpuMs(receiver) };
    let t0 = performance.now();
    const ours = linesWritten(counter, head);
    shipper.start();
    await ours;
    const oursMs = performance.now() - t0;
    const oursCpu = { node: benchCpu() - cpu0.bench, receiver: rsyslogCpuMs(receiver) - cpu0.receiver };
    // rsyslog can write a batch's last lines before its clean close (that batch's confirmation) reaches us, more
    // so with batches in flight side by side: let the shipper finish confirming (untimed) before checking that
    // nothing is left. Stopping at once would abandon that batch unconfirmed and fail the check below.
    await shipper.whenIdle();
    await shipper.stop();
    const left = trail.outbox.depth('atna').count;
    if (left !== 0) throw new Error(`${left} events still queued after rsyslog wrote all lines`);
    ctx.log(
      `ours: ${oursMs.toFixed(0)} ms (CPU: our process ${oursCpu.node.toFixed(0)} ms, receiving rsyslog ${oursCpu.receiver.toFixed(0)} ms)`,
    );

    // 2. rsyslog forwarding the same messages: plain TCP into a forwarder, omfwd + gtls into the receiver.
    const forwarder = createRsyslogForwarder({
      dir: join(root, 'forwarder'),
      inputPort: FORWARDER_PORT,
      targetPort: RECEIVER_PORT,
      targetName: SERVER_NAME,
      caFile: pki.caFile,
      ...pki.client,
    });
    stops.push(() => forwarder.stop());
    await forwarder.start();
    cpu0 = { bench: benchCpu(), receiver: rsyslogCpuMs(receiver) };
    const forwarderCpu0 = rsyslogCpuMs(forwarder);
    t0 = performance.now();
    const fwd = linesWritten(counter, head);
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(FORWARDER_PORT, '127.0.0.1', () => s.end(payload));
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    await fwd;
    const rsyslogMs = performance.now() - t0;
    const fwdCpu = {
      sender: benchCpu() - cpu0.bench,
      forwarder: rsyslogCpuMs(forwarder) - forwarderCpu0,
      receiver: rsyslogCpuMs(receiver) - cpu0.receiver,
    };
    await forwarder.stop();
    ctx.log(
      `rsyslog omfwd: ${rsyslogMs.toFixed(0)} ms (CPU: plain TCP sender ${fwdCpu.sender.toFixed(0)} ms, forwarding ` +
        `rsyslog ${fwdCpu.forwarder.toFixed(0)} ms, receiving rsyslog ${fwdCpu.receiver.toFixed(0)} ms)`,
    );

    // 3. Floor: one mutual-TLS connection writing the frames as fast as Node can.
    const connectMtls = () =>
      tls.connect({
        host: '127.0.0.1',
        port: RECEIVER_PORT,
        servername: SERVER_NAME,
        ca: readFileSync(pki.caFile),
        cert: readFileSync(pki.client.certFile),
        key: readFileSync(pki.client.keyFile),
        minVersion: 'TLSv1.2',
      });
    t0 = performance.now();
    const bare = linesWritten(counter, head);
    await new Promise<void>((resolve, reject) => {
      const s = connectMtls();
      s.on('secureConnect', () => s.end(payload));
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    await bare;
    const bareMs = performance.now() - t0;
    ctx.log(`bare Node TLS writer: ${bareMs.toFixed(0)} ms`);

    // 4. Reference, not a product path: the same SQLite read and the same framing (FrameChunks) on one TLS
    // connection, without the delivery guarantees (a connection per batch confirmed by the server's clean close, the
    // acceptance window, the single-event probe, durable delivery marks). It shows what those guarantees cost.
    const db = new Database(join(root, 'log', 'audit.sqlite'), { readonly: true });
    stops.push(() => {
      db.close();
    });
    const page = db
      .prepare<[number], [number, string, string, Buffer]>(
        'SELECT seq, uuid, recorded_at, CAST(json AS BLOB) FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000',
      )
      .raw(true);
    const refCpu0 = benchCpu();
    t0 = performance.now();
    const reference = linesWritten(counter, head);
    await new Promise<void>((resolve, reject) => {
      const s = connectMtls();
      const writeAll = async () => {
        for (let rows = page.all(0); rows.length > 0; rows = page.all(rows[rows.length - 1]![0])) {
          const items = rows.map(([seq, uuid, recordedAt, jsonBytes]) => ({
            seq,
            uuid,
            priority: 0,
            recordedAt,
            jsonBytes,
            get json() {
              return jsonBytes.toString('utf8');
            },
          }));
          const frames = new FrameChunks(items, hostInfo, 'reference');
          for (let c = frames.next(); c !== null; c = frames.next()) if (!s.write(c)) await once(s, 'drain');
        }
        s.end();
      };
      s.on('secureConnect', () => writeAll().catch(reject));
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    await reference;
    const referenceMs = performance.now() - t0;
    const referenceCpu = benchCpu() - refCpu0;
    ctx.log(
      `reference (same read and framing, no guarantees): ${referenceMs.toFixed(0)} ms (CPU ${referenceCpu.toFixed(0)} ms)`,
    );

    const ratio = oursMs / rsyslogMs;
    return [
      {
        area: 'audit',
        name: `atna drain ${EVENTS} backlog -> rsyslog mTLS (until written)`,
        unit: 'ms',
        value: round(oursMs, 1),
        target: TARGET_MS,
        peer: round(rsyslogMs, 1),
        ratio: round(ratio),
      },
      {
        area: 'audit',
        name: 'atna drain ours/rsyslog omfwd gtls',
        unit: 'ratio',
        value: round(ratio),
        target: 1,
      },
      {
        area: 'audit',
        name: `rsyslog omfwd gtls forward ${EVENTS} (until written)`,
        unit: 'ms',
        value: round(rsyslogMs, 1),
      },
      // CPU time per party, the same runs: on a machine with few cores the wall times above follow these sums.
      { area: 'audit', name: 'atna drain CPU: our process', unit: 'ms CPU', value: round(oursCpu.node, 0) },
      {
        area: 'audit',
        name: 'atna drain CPU: receiving rsyslog',
        unit: 'ms CPU',
        value: round(oursCpu.receiver, 0),
      },
      {
        area: 'audit',
        name: 'rsyslog omfwd CPU: plain TCP sender',
        unit: 'ms CPU',
        value: round(fwdCpu.sender, 0),
      },
      {
        area: 'audit',
        name: 'rsyslog omfwd CPU: forwarding rsyslog',
        unit: 'ms CPU',
        value: round(fwdCpu.forwarder, 0),
      },
      {
        area: 'audit',
        name: 'rsyslog omfwd CPU: receiving rsyslog',
        unit: 'ms CPU',
        value: round(fwdCpu.receiver, 0),
      },
      {
        area: 'audit',
        name: 'reference: same read + framing, one TLS connection, no delivery guarantees (until written)',
        unit: 'ms',
        value: round(referenceMs, 1),
        peer: round(rsyslogMs, 1),
        ratio: round(referenceMs / rsyslogMs),
      },
      { area: 'audit', name: 'reference CPU: our process', unit: 'ms CPU', value: round(referenceCpu, 0) },
      {
        area: 'audit',
        name: `bare node tls writer ${EVENTS} frames (until written)`,
        unit: 'ms',
        value: round(bareMs, 1),
      },
    ];
  } finally {
    for (const s of stops.reverse()) await s();
    rmSync(root, { recursive: true, force: true });
  }
}
