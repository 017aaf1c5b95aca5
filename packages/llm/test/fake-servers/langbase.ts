/** Langbase `/v1/pipes/run`: JSON (`completion` plus the raw completion) and its SSE stream. */
import { type Loopback, notFound, RETRY_SOON, sendChunks, sendJson, startLoopback } from './loopback.js';

export interface FakeLangbaseOptions {
  deltas?: string[];
  model?: string;
}

export function startFakeLangbase(options: FakeLangbaseOptions = {}): Promise<Loopback> {
  const deltas = options.deltas ?? ['Hello', ', ', 'world', '!'];
  const model = options.model ?? 'openai:gpt-4o-mini';
  const created = 1_700_000_000;
  return startLoopback(async (request, res) => {
    if (request.method !== 'POST' || request.path !== '/v1/pipes/run') {
      notFound(res, request);
      return;
    }
    const body = request.body as { stream?: boolean } | undefined;
    const headers = { 'lb-thread-id': 'thread_fake' };
    if (!body?.stream) {
      sendJson(
        res,
        200,
        {
          success: true,
          completion: deltas.join(''),
          raw: {
            id: 'chatcmpl-fake',
            object: 'chat.completion',
            created,
            model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: deltas.join('') },
                logprobs: null,
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 21, completion_tokens: deltas.length, total_tokens: 21 + deltas.length },
            system_fingerprint: null,
          },
        },
        headers,
      );
      return;
    }
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({
        id: 'chatcmpl-fake',
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: null,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      })}\n\n`;
    res.setHeader('lb-thread-id', 'thread_fake');
    await sendChunks(res, 'text/event-stream', [
      chunk({ role: 'assistant', content: '' }, null),
      ...deltas.map((content) => chunk({ content }, null)),
      chunk({}, 'stop'),
      'data: [DONE]\n\n',
    ]);
  });
}

/** Langbase's error envelope. */
export function langbaseError(status: number, code: string, message: string) {
  return {
    status,
    body: { error: { status, code, message } },
    headers: status === 429 || status >= 500 ? RETRY_SOON : {},
  };
}
