/**
 * Starts a private pcscd with the vpcd driver, beside (never instead of) any system pcscd.
 *
 * pcscd's socket path is fixed at /run/pcscd/pcscd.comm, so the daemon runs in its own mount namespace
 * (`unshare -m`, needs root) with DIR bind-mounted on /run/pcscd; the socket then appears as DIR/pcscd.comm.
 * The reader.conf in DIR points vpcd at a private TCP port. Clients reach it with PCSCLITE_CSOCK_NAME.
 *
 * IMPORTANT: libpcsclite reads PCSCLITE_CSOCK_NAME once per process. A process must set
 * `process.env.PCSCLITE_CSOCK_NAME = socketPath` before it first uses pcsclite and keep that path for its
 * lifetime; restart() therefore reuses the same DIR (and so the same socket path).
 *
 * vpcd opens two slots per reader.conf entry, on ports CHANNELID and CHANNELID+1 ("the next slot is
 * 40060" for 40059). `readers: 2` uses both slots of one entry; more readers add entries at port+2, +4...
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const READER_FRIENDLY_NAME = 'Stethoscope Virtual PCD';
/** Slots vpcd opens per reader.conf entry in the Debian build. */
const SLOTS_PER_ENTRY = 2;

export interface PrivatePcscdOptions {
  /** Folder for reader.conf, the socket and the log; created if missing. */
  dir: string;
  /** vpcd port of the first reader. */
  port: number;
  /** Readers wanted (default 1; vpcd slots come in pairs, see above). */
  readers?: number;
  /** How long to wait for the daemon to come up (default 10 s). */
  startTimeoutMs?: number;
}

export interface PrivatePcscd {
  dir: string;
  /** DIR/pcscd.comm: set PCSCLITE_CSOCK_NAME to this. */
  socketPath: string;
  /** One vpcd port per requested reader, in reader order. */
  vpcdPorts: number[];
  /** Reader names pcscd gives the vpcd slots, in the same order as vpcdPorts. */
  readerNames: string[];
  /** Daemon output (stdout + stderr) is appended here. */
  logFile: string;
  /** pid of the pcscd process (it replaces the unshare and sh processes by exec). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/** reader.conf text with one vpcd entry per pair of slots. */
function readerConf(port: number, readers: number): string {
  const entries = Math.ceil(readers / SLOTS_PER_ENTRY);
  const blocks: string[] = [];
  for (let e = 0; e < entries; e++) {
    const channel = `0x${(port + e * SLOTS_PER_ENTRY).toString(16).toUpperCase()}`;
    blocks.push(
      [
        `FRIENDLYNAME "${READER_FRIENDLY_NAME}"`,
        `DEVICENAME   /dev/null:${channel}`,
        `LIBPATH      ${VPCD_DRIVER}`,
        `CHANNELID    ${channel}`,
      ].join('\n'),
    );
  }
  return blocks.join('\n\n') + '\n';
}

/** Ports in LISTEN state on this host (from /proc/net/tcp{,6}); probing by connecting would insert a card. */
async function listeningPorts(): Promise<Set<number>> {
  const ports = new Set<number>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (cols[3] === '0A' && local) ports.add(parseInt(local.split(':')[1] ?? '', 16));
    }
  }
  return ports;
}

/**
 * A test process that died without stop() leaves its pcscd running. pcscd writes its pid into /run/pcscd,
 * which is DIR here; stop that daemon if it is still ours (same reader.conf) before starting afresh.
 */
async function stopStale(dir: string): Promise<void> {
  const pidText = await readFile(join(dir, 'pcscd.pid'), 'utf8').catch(() => '');
  const pid = Number.parseInt(pidText.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 1) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.split('\0').includes(join(dir, 'reader.conf'))) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (existsSync(`/proc/${pid}`) && Date.now() < deadline) await pause(25);
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startPrivatePcscd(opts: PrivatePcscdOptions): Promise<PrivatePcscd> {
  const readers = opts.readers ?? 1;
  if (!Number.isInteger(readers) || readers < 1 || readers > 8) throw new Error('readers must be 1..8');
  const entries = Math.ceil(readers / SLOTS_PER_ENTRY);
  if (opts.port < 1024 || opts.port + entries * SLOTS_PER_ENTRY - 1 > 65535)
    throw new Error('port out of range');
  if (!existsSync(VPCD_DRIVER))
    throw new Error(`vpcd driver missing at ${VPCD_DRIVER} (apt-get install vsmartcard-vpcd)`);

  const dir = resolve(opts.dir);
  const socketPath = join(dir, 'pcscd.comm');
  const logFile = join(dir, 'pcscd.log');
  const conf = join(dir, 'reader.conf');
  const vpcdPorts = Array.from({ length: readers }, (_, i) => opts.port + i);
  const readerNames = vpcdPorts.map((_, i) => {
    const entry = Math.floor(i / SLOTS_PER_ENTRY);
    const slot = i % SLOTS_PER_ENTRY;
    return `${READER_FRIENDLY_NAME} ${entry.toString(16).padStart(2, '0')} ${slot.toString(16).padStart(2, '0')}`;
  });
  const allSlotPorts = Array.from({ length: entries * SLOTS_PER_ENTRY }, (_, i) => opts.port + i);
  await mkdir(dir, { recursive: true });
  await writeFile(conf, readerConf(opts.port, readers));

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    await stopStale(dir);
    const busy = await listeningPorts();
    const taken = allSlotPorts.filter((p) => busy.has(p));
    if (taken.length) throw new Error(`vpcd port(s) ${taken.join(', ')} already in use (another pcscd?)`);
    await rm(socketPath, { force: true });
    const fd = openSync(logFile, 'a');
    const script = 'mkdir -p /run/pcscd && mount --bind "$1" /run/pcscd && exec pcscd -f -c "$1/reader.conf"';
    const c = spawn(
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', script, 'private-pcscd', dir],
      {
        stdio: ['ignore', fd, fd],
      },
    );
    closeSync(fd);
    child = c;
    let exitInfo: string | null = null;
    exited = new Promise<void>((resolve) => {
      c.once('exit', (code, signal) => {
        exitInfo = `code ${code} signal ${signal}`;
        resolve();
      });
      c.once('error', (err) => {
        exitInfo = err.message;
        resolve();
      });
    });
    const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000);
    for (;;) {
      if (exitInfo) {
        const log = await readFile(logFile, 'utf8').catch(() => '');
        throw new Error(
          `private pcscd exited (${exitInfo}); needs root for unshare -m. Log tail:\n${log.slice(-800)}`,
        );
      }
      if (existsSync(socketPath) && (await socketAnswers(socketPath))) {
        const listening = await listeningPorts();
        if (allSlotPorts.every((p) => listening.has(p))) return;
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `private pcscd in ${dir} not ready within ${opts.startTimeoutMs ?? 10_000} ms; see ${logFile}`,
        );
      }
      // Polling an outside daemon with a deadline: there is no event to await.
      await pause(25);
    }
  };

  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGTERM');
    const killer = setTimeout(() => c.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    // The daemon normally removes its socket; a killed one leaves it behind.
    await rm(socketPath, { force: true });
  };

  await launch();
  return {
    dir,
    socketPath,
    vpcdPorts,
    readerNames,
    logFile,
    get pid() {
      return child?.pid;
    },
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
