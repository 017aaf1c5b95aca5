/** OpenAI chat completions (JSON and SSE) and `/v1/embeddings`, as OpenAI sends them. */
import { type Loopback, notFound, RETRY_SOON, sendChunks, sendJson, startLoopback } from './loopback.js';

export interface FakeOpenAIOptions {
  /** Deltas of the answer; joined for the non-streaming reply. */
  deltas?: string[];
  model?: string;
  /** Length of fake embedding vectors. */
  dimension?: number;
}

export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<Loopback> {
  const deltas = options.deltas ?? ['Hello', ', ', 'world', '!'];
  const model = options.model ?? 'fake-gpt';
  const dimension = options.dimension ?? 8;
  const created = 1_700_000_000;
  return startLoopback(async (request, res) => {
    const body = request.body as { stream?: boolean; input?: string[] } | undefined;
    if (request.method === 'POST' && request.path === '/v1/chat/completions') {
      if (!body?.stream) {
        sendJson(res, 200, {
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
          usage: { prompt_tokens: 11, completion_tokens: deltas.length, total_tokens: 11 + deltas.length },
        });
        return;
      }
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({
          id: 'chatcmpl-fake',
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        })}\n\n`;
      await sendChunks(res, 'text/event-stream', [
        chunk({ role: 'assistant', content: '' }, null),
        ...deltas.map((d) => chunk({ content: d }, null)),
        chunk({}, 'stop'),
        `data: ${JSON.stringify({
          id: 'chatcmpl-fake',
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [],
          usage: { prompt_tokens: 11, completion_tokens: deltas.length, total_tokens: 11 + deltas.length },
        })}\n\n`,
        'data: [DONE]\n\n',
      ]);
      return;
    }
    if (request.method === 'POST' && request.path === '/v1/embeddings') {
      const inputs = body?.input ?? [];
      sendJson(res, 200, {
        object: 'list',
        data: inputs.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: fakeVector(text, dimension),
        })),
        model,
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      });
      return;
    }
    notFound(res, request);
  });
}

/** A vector that depends on the text, so tests can tell answers apart. */
export function fakeVector(text: string, dimension: number): number[] {
  return Array.from({ length: dimension }, (_, i) => ((text.length + i) % 7) / 7);
}

/** OpenAI's error envelope. */
export function openAIError(status: number, message: string, type = 'invalid_request_error') {
  return {
    status,
    body: { error: { message, type, param: null, code: null } },
    headers: status === 429 || status >= 500 ? RETRY_SOON : {},
  };
}
