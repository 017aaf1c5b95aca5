/** Ollama's native API: `/api/chat` (JSON, NDJSON stream) and `/api/embed`. */
import { type Loopback, notFound, RETRY_SOON, sendChunks, sendJson, startLoopback } from './loopback.js';
import { fakeVector } from './openai.js';

export interface FakeOllamaOptions {
  deltas?: string[];
  model?: string;
  dimension?: number;
}

export function startFakeOllama(options: FakeOllamaOptions = {}): Promise<Loopback> {
  const deltas = options.deltas ?? ['Hello', ', ', 'world', '!'];
  const model = options.model ?? 'llama3.2';
  const dimension = options.dimension ?? 6;
  const createdAt = '2025-01-01T00:00:00.000000Z';
  return startLoopback(async (request, res) => {
    const body = request.body as { stream?: boolean; input?: string | string[] } | undefined;
    if (request.method === 'POST' && request.path === '/api/chat') {
      const done = {
        model,
        created_at: createdAt,
        done: true,
        done_reason: 'stop',
        total_duration: 1_000_000,
        load_duration: 1000,
        prompt_eval_count: 13,
        prompt_eval_duration: 1000,
        eval_count: deltas.length,
        eval_duration: 1000,
      };
      // Ollama streams unless told `"stream": false`.
      if (body?.stream === false) {
        sendJson(res, 200, { ...done, message: { role: 'assistant', content: deltas.join('') } });
        return;
      }
      await sendChunks(res, 'application/x-ndjson', [
        ...deltas.map(
          (content) =>
            `${JSON.stringify({ model, created_at: createdAt, message: { role: 'assistant', content }, done: false })}\n`,
        ),
        `${JSON.stringify({ ...done, message: { role: 'assistant', content: '' } })}\n`,
      ]);
      return;
    }
    if (request.method === 'POST' && request.path === '/api/embed') {
      const inputs = typeof body?.input === 'string' ? [body.input] : (body?.input ?? []);
      sendJson(res, 200, {
        model,
        embeddings: inputs.map((text) => fakeVector(text, dimension)),
        total_duration: 1000,
        load_duration: 100,
        prompt_eval_count: inputs.length,
      });
      return;
    }
    notFound(res, request);
  });
}

/** Ollama's error body is a bare `{ error }`. */
export function ollamaError(status: number, message: string) {
  return { status, body: { error: message }, headers: status === 429 || status >= 500 ? RETRY_SOON : {} };
}
