import { z } from 'zod';

/** Event types the chat-history server stores; the host writes every turn's events as these. */
export const HISTORY_EVENT_TYPES = [
  'user_message',
  'assistant_message',
  'tool_call',
  'tool_result',
  'phase_output',
  'system_update',
  'meta',
] as const;
export const HistoryEventType = z.enum(HISTORY_EVENT_TYPES);
export type HistoryEventType = z.infer<typeof HistoryEventType>;

export const MessageRole = z.enum(['user', 'assistant', 'system', 'tool']);
export type MessageRole = z.infer<typeof MessageRole>;
