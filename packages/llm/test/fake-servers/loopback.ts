/**
 * A scriptable HTTP server on 127.0.0.1:0 for provider tests. The provider modules answer the
 * happy path in their own wire format; the script can replace the next answers with an HTTP
 * error, a malformed body, or silence.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export type Scripted =
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** 200 with a body that is not what the provider promised. */
  | { malformed: string; contentType?: string }
  /** Accept the request and never answer. */
  | 'hang';

export type Handler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface Loopback {
  url: string;
  requests: RecordedRequest[];
  /** Answer the next requests with these, in order, before falling back to the happy path. */
  script(...steps: Scripted[]): void;
  /** Forget unused steps: a request a test aborted before it arrived must not leave its step to the next test. */
  reset(): void;
  close(): Promise<void>;
}

export async function startLoopback(handler: Handler): Promise<Loopback> {
  const requests: RecordedRequest[] = [];
  const queue: Scripted[] = [];
  const server = createServer(async (req, res) => {
    const recorded = await record(req);
    requests.push(recorded);
    const step = queue.shift();
    if (step === 'hang') return;
    if (step && 'malformed' in step) {
      res.writeHead(200, { 'content-type': step.contentType ?? 'application/json' });
      res.end(step.malformed);
      return;
    }
    if (step) {
      sendJson(res, step.status, step.body, step.headers);
      return;
    }
    await handler(recorded, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...steps) => queue.push(...steps),
    reset: () => {
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests would keep close() waiting forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  let body: unknown = raw;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    // keep the raw text
  }
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Writes chunks with a pause between them, so a client sees them arrive one by one. */
export async function sendChunks(
  res: ServerResponse,
  contentType: string,
  chunks: string[],
  gapMs = 5,
): Promise<void> {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
  for (const chunk of chunks) {
    res.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  res.end();
}

export function notFound(res: ServerResponse, request: RecordedRequest): void {
  sendJson(res, 404, { error: `no route for ${request.method} ${request.path}` });
}

/** Retry-After in milliseconds, which both the AI SDK and our Langbase retries honour. */
export const RETRY_SOON = { 'retry-after-ms': '5' };
