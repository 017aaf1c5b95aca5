import { describe, expect, it } from 'vitest';
import type { EventOutput } from './events.js';
import { toOpenAIMessages, toOpenAIToolCall } from './openai-messages.js';

let seq = 0;
function e(partial: Partial<EventOutput> & Pick<EventOutput, 'type'>): EventOutput {
  seq++;
  const role =
    partial.type === 'user_message' ? 'user' : partial.type === 'tool_result' ? 'tool' : 'assistant';
  return {
    id: `e${seq}`,
    seq,
    timestamp: '2025-01-01T00:00:00.000Z',
    role,
    content: '',
    token_count: 0,
    ...partial,
  };
}

describe('toOpenAIMessages', () => {
  it('maps messages, calls and results, and leaves out phase output and meta', () => {
    const { messages, skipped } = toOpenAIMessages([
      e({ type: 'system_update', role: 'system', content: 'be brief' }),
      e({ type: 'user_message', content: 'weather in Oslo?' }),
      e({ type: 'phase_output', content: 'intent: weather' }),
      e({ type: 'tool_call', tool_calls: [{ id: 'c1', name: 'weather', arguments: { city: 'Oslo' } }] }),
      e({ type: 'tool_result', tool_call_id: 'c1', content: 'rain' }),
      e({ type: 'assistant_message', content: 'It rains.' }),
      e({ type: 'meta', role: 'system', content: 'cycle 1' }),
    ]);
    expect(messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'weather in Oslo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'rain' },
      { role: 'assistant', content: 'It rains.' },
    ]);
    expect(skipped).toBe(2);
  });

  it('merges calls logged one event each so every result follows its call', () => {
    const { messages } = toOpenAIMessages([
      e({ type: 'tool_call', tool_call_id: 'a', content: '{"q":1}', extra: { name: 'search' } }),
      e({ type: 'tool_call', tool_call_id: 'b', content: '' }),
      e({ type: 'tool_result', tool_call_id: 'a', content: 'A' }),
      e({ type: 'tool_result', tool_call_id: 'b', content: 'B' }),
    ]);
    expect(messages).toEqual([
      {
        role: 'assistant',
        content: '{"q":1}',
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'search', arguments: '{"q":1}' } },
          { id: 'b', type: 'function', function: { name: 'tool', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: 'A' },
      { role: 'tool', tool_call_id: 'b', content: 'B' },
    ]);
  });

  it('drops results without a call and calls without a result', () => {
    const { messages, skipped } = toOpenAIMessages([
      e({ type: 'tool_result', tool_call_id: 'gone', content: 'orphan' }),
      e({ type: 'assistant_message', content: 'thinking', tool_calls: [{ id: 'x', name: 'f' }] }),
      e({ type: 'tool_call', tool_calls: [{ id: 'y', name: 'g' }] }),
    ]);
    expect(messages).toEqual([{ role: 'assistant', content: 'thinking' }]);
    expect(skipped).toBe(2);
  });
});

describe('toOpenAIToolCall', () => {
  it('keeps OpenAI-shaped calls and string arguments as they are', () => {
    const call = { id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } };
    expect(toOpenAIToolCall(call)).toEqual(call);
  });
});
