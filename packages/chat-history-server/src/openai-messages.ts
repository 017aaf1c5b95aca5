/**
 * Events as an OpenAI-style `messages` array, valid as a Chat Completions request: every tool
 * message answers a call in an earlier assistant message, and every call kept has its answer.
 */
import type { EventOutput } from './events.js';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAIMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: OpenAIToolCall[];
  tool_call_id?: string;
}

export interface OpenAIConversion {
  messages: OpenAIMessage[];
  /** Events with no place in the format: phase_output, meta, results without a call, calls without a result. */
  skipped: number;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Accepts `{ id, name, arguments }` and OpenAI's `{ id, type, function: { name, arguments } }`. */
export function toOpenAIToolCall(call: Record<string, unknown>, fallbackName = 'tool'): OpenAIToolCall {
  const fn = (call.function ?? {}) as Record<string, unknown>;
  const name = text(fn.name) ?? text(call.name) ?? fallbackName;
  const args = fn.arguments ?? call.arguments;
  return {
    id: String(call.id),
    type: 'function',
    function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
  };
}

function callsOf(event: EventOutput): OpenAIToolCall[] {
  if (event.tool_calls?.length) return event.tool_calls.map((c) => toOpenAIToolCall(c));
  if (event.type === 'tool_call' && event.tool_call_id) {
    // A call logged as one event with its id only: the name may sit in extra, the arguments in content.
    const name = text(event.extra?.name) ?? text(event.extra?.tool) ?? 'tool';
    return [
      { id: event.tool_call_id, type: 'function', function: { name, arguments: event.content || '{}' } },
    ];
  }
  return [];
}

/** @param events chronological */
export function toOpenAIMessages(events: readonly EventOutput[]): OpenAIConversion {
  const messages: OpenAIMessage[] = [];
  let skipped = 0;
  const answered = new Set(events.filter((e) => e.type === 'tool_result').map((e) => e.tool_call_id!));
  const issued = new Set<string>();
  let previous: EventOutput | undefined;
  for (const event of events) {
    switch (event.type) {
      case 'user_message':
        messages.push({ role: 'user', content: event.content });
        break;
      case 'system_update':
        messages.push({ role: 'system', content: event.content });
        break;
      case 'tool_result':
        if (issued.has(event.tool_call_id!)) {
          messages.push({ role: 'tool', tool_call_id: event.tool_call_id!, content: event.content });
        } else {
          skipped++;
        }
        break;
      case 'assistant_message': {
        const calls = callsOf(event).filter((c) => answered.has(c.id));
        if (!event.content && calls.length === 0) {
          skipped++;
          break;
        }
        for (const call of calls) issued.add(call.id);
        messages.push(
          calls.length > 0
            ? { role: 'assistant', content: event.content || null, tool_calls: calls }
            : { role: 'assistant', content: event.content },
        );
        break;
      }
      case 'tool_call': {
        const calls = callsOf(event).filter((c) => answered.has(c.id));
        if (calls.length === 0) {
          skipped++;
          break;
        }
        for (const call of calls) issued.add(call.id);
        const last = messages.at(-1);
        // Calls logged one event each belong in one assistant message, or the results that follow
        // would be separated from all but the last call.
        if (previous?.type === 'tool_call' && last?.role === 'assistant' && last.tool_calls) {
          last.tool_calls.push(...calls);
        } else {
          messages.push({ role: 'assistant', content: event.content || null, tool_calls: calls });
        }
        break;
      }
      default:
        skipped++;
    }
    previous = event;
  }
  return { messages, skipped };
}
