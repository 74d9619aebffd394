/**
 * One HTTPS request with node:https: a body in, status and (size-limited) body out. Network failures reject with
 * the socket's error; an abort signal cancels.
 */
import https from 'node:https';

export interface HttpReply {
  status: number;
  body: string;
  location: string | null;
}

const MAX_REPLY_BYTES = 32 * 1024 * 1024;

export function httpsRequest(
  agent: https.Agent,
  method: 'PUT' | 'POST',
  url: URL,
  body: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const req = https.request(
      url,
      {
        method,
        agent,
        signal,
        timeout: timeoutMs,
        headers: {
          'Content-Type': 'application/fhir+json; charset=utf-8',
          Accept: 'application/fhir+json',
          'Content-Length': payload.length,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (d: Buffer) => {
          size += d.length;
          if (size > MAX_REPLY_BYTES) {
            req.destroy(new Error(`reply larger than ${MAX_REPLY_BYTES} bytes`));
            return;
          }
          parts.push(d);
        });
        res.on('end', () => {
          const loc = res.headers.location;
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts).toString('utf8'),
            location: typeof loc === 'string' ? loc : null,
          });
        });
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(new Error('the server broke off its reply'));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no reply within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
