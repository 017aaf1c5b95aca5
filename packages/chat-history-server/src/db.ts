/** Kysely table types for migrations/chat-history. JSON columns hold serialised text. */
import type { Generated } from 'kysely';

export interface ConversationsTable {
  id: string;
  title: string | null;
  /** JSON object. */
  metadata: string;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
  next_seq: number;
  event_count: Generated<number>;
  token_total: Generated<number>;
}

export interface ChatEventsTable {
  pk: Generated<number>;
  id: string;
  conversation_id: string;
  seq: number;
  timestamp: string;
  type: string;
  role: string;
  content: string;
  /** JSON array. */
  tool_calls: string | null;
  tool_call_id: string | null;
  model: string | null;
  /** JSON object: input_tokens, output_tokens, cost_usd. */
  usage: string | null;
  /** JSON object. */
  extra: string | null;
  token_count: number;
  request_id: string | null;
}

export interface AppendRequestsTable {
  conversation_id: string;
  request_id: string;
  first_seq: number;
  event_count: number;
  fingerprint: string;
  created_at: string;
}

export interface UsageTotalsTable {
  conversation_id: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  events: number;
}

export interface HistoryDB {
  conversations: ConversationsTable;
  chat_events: ChatEventsTable;
  append_requests: AppendRequestsTable;
  usage_totals: UsageTotalsTable;
}
