import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Only for health endpoints whose serving certificate the component generated itself. */
  insecure?: boolean;
}

export interface HttpResult {
  status: number;
  body: string;
}

/** GET with a short timeout; rejects on connection errors so callers can poll. */
export function get(url: string, tls: TlsOptions = {}, timeoutMs = 3000): Promise<HttpResult> {
  return new Promise((resolvePromise, reject) => {
    const parsed = new URL(url);
    const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      parsed,
      {
        method: 'GET',
        timeout: timeoutMs,
        ...(parsed.protocol === 'https:'
          ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure }
          : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
