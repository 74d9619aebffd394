/**
 * A TCP proxy that can cut connections mid-stream: it forwards bytes between the client and the real server and,
 * when told, resets both sides (TCP RST, like a dropped mobile link) after N bytes from the client. Bytes that
 * reached the proxy but not yet the server are lost, exactly what a cut link does to a sender's buffers.
 */
import net from 'node:net';

export class CuttingProxy {
  private server: net.Server | null = null;
  private cutsLeft = 0;
  private cutAfter = Infinity;
  private readonly sockets = new Set<net.Socket>();
  /** Connections cut so far. */
  cutCount = 0;

  constructor(
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  /** The next n connections that carry more than afterBytes from the client are cut at that point. */
  cutNext(n: number, afterBytes: number): void {
    this.cutsLeft = n;
    this.cutAfter = afterBytes;
  }

  async start(): Promise<void> {
    // allowHalfOpen: a FIN from one side must not make Node close the other side by itself (see accept).
    const server = net.createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect({ port: this.targetPort, host: '127.0.0.1', allowHalfOpen: true });
    this.sockets.add(client);
    this.sockets.add(upstream);
    let forwarded = 0;
    let cut = false;
    const kill = () => {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    };
    client.on('data', (d: Buffer) => {
      if (cut) return;
      if (this.cutsLeft > 0 && forwarded + d.length > this.cutAfter) {
        const part = d.subarray(0, Math.max(0, this.cutAfter - forwarded));
        cut = true;
        this.cutsLeft--;
        this.cutCount++;
        upstream.write(part, kill);
        return;
      }
      forwarded += d.length;
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!cut) client.write(d);
    });
    // After a cut nothing more passes, not even a FIN: a real cut link cannot deliver a FIN after lost bytes
    // (TCP is ordered), and forwarding one would fake an orderly close of a stream that lost data.
    client.on('end', () => {
      if (!cut) upstream.end();
    });
    upstream.on('end', () => {
      if (!cut) client.end();
    });
    const forget = (s: net.Socket) => () => this.sockets.delete(s);
    client.on('close', forget(client));
    upstream.on('close', forget(upstream));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
