/** Anthropic's Messages API: JSON and the SSE event sequence (message_start … message_stop). */
import { type Loopback, notFound, RETRY_SOON, sendChunks, sendJson, startLoopback } from './loopback.js';

export interface FakeAnthropicOptions {
  deltas?: string[];
  model?: string;
}

export function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<Loopback> {
  const deltas = options.deltas ?? ['Hello', ', ', 'world', '!'];
  const model = options.model ?? 'claude-fake';
  return startLoopback(async (request, res) => {
    if (request.method !== 'POST' || request.path !== '/v1/messages') {
      notFound(res, request);
      return;
    }
    const body = request.body as { stream?: boolean } | undefined;
    if (!body?.stream) {
      sendJson(res, 200, {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: deltas.join('') }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: deltas.length },
      });
      return;
    }
    const event = (name: string, data: object) =>
      `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
    await sendChunks(res, 'text/event-stream', [
      event('message_start', {
        message: {
          id: 'msg_fake',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 12, output_tokens: 1 },
        },
      }),
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      event('ping', {}),
      ...deltas.map((text) =>
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      ),
      event('content_block_stop', { index: 0 }),
      event('message_delta', {
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: deltas.length },
      }),
      event('message_stop', {}),
    ]);
  });
}

/** Anthropic's error envelope (529 is their "overloaded"). */
export function anthropicError(status: number, type: string, message: string) {
  return {
    status,
    body: { type: 'error', error: { type, message } },
    headers: status === 429 || status >= 500 ? RETRY_SOON : {},
  };
}
