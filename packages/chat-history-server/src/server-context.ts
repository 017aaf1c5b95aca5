/** What every tool of this server gets: the store, settings, clock, tokenizer and notifier. */
import { type ServerDeps, ToolError } from '@choir/server-kit';
import type { Tokenizer } from './context-packing.js';
import type { HistoryConfig } from './config.js';
import type { HistoryDB } from './db.js';
import { HistoryError } from './errors.js';
import { boundedTokenizer } from './tokens.js';
import type { HistoryStore } from './store.js';

/** Tells subscribers what changed; resources.ts implements it over MCP notifications. */
export interface ChangeNotifier {
  conversationChanged(conversationId: string): void;
  /** A conversation appeared or disappeared. */
  conversationsListChanged(): void;
}

export interface HistoryServerContext {
  deps: ServerDeps<HistoryDB>;
  history: HistoryStore;
  config: HistoryConfig;
  now: () => Date;
  tokenizer: Tokenizer;
  notify: ChangeNotifier;
}

export const tokenizer: Tokenizer = boundedTokenizer;

/** Runs store work, reporting its refusals with their codes. */
export async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HistoryError) throw new ToolError(error.code, error.message, error.hint);
    throw error;
  }
}

export async function requireConversation(ctx: HistoryServerContext, id: string) {
  const conversation = await ctx.history.conversation(id);
  if (!conversation) {
    throw new ToolError(
      'NOT_FOUND',
      `conversation ${id} does not exist`,
      'history_list_conversations lists them',
    );
  }
  return conversation;
}
