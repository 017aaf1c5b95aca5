import { createChoirServer, registerTools, type ServerDeps } from '@choir/server-kit';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type HistoryConfig, loadHistoryConfig } from './config.js';
import type { HistoryDB } from './db.js';
import { registerHistoryResources } from './resources.js';
import { type HistoryServerContext, tokenizer } from './server-context.js';
import { HistoryStore } from './store.js';
import { appendTool } from './tools/append.js';
import { contextTool } from './tools/context.js';
import {
  deleteConversationTool,
  listConversationsTool,
  updateConversationTool,
} from './tools/conversations.js';
import { getTool } from './tools/get.js';
import { applyRetentionTool } from './tools/retention.js';
import { searchTool } from './tools/search.js';
import { exportTool, importTool } from './tools/transfer.js';
import { usageTool } from './tools/usage.js';

export const VERSION = '0.1.0';

const INSTRUCTIONS =
  'The durable event log of conversations. history_append writes events (pass request_id so a retry ' +
  'is safe); history_context gives the newest events that fit a token budget, ready for a model; ' +
  'history_get pages through events; history_search finds past messages; history_list_conversations, ' +
  'history_usage and history_export / history_import cover the rest. Resources ' +
  'history://conversations and history://conversations/{id} can be subscribed to.';

export interface ChatHistoryServerOptions {
  /** Defaults to the settings in deps.env. */
  config?: HistoryConfig;
  /** The clock for timestamps and time-based retention (tests move it). */
  now?: () => Date;
}

export function createChatHistoryServer(
  deps: ServerDeps<HistoryDB>,
  options: ChatHistoryServerOptions = {},
): McpServer {
  const config = options.config ?? loadHistoryConfig(deps.env);
  const mcp = createChoirServer({ name: 'chat-history', version: VERSION, instructions: INSTRUCTIONS });
  const base = {
    deps,
    history: new HistoryStore(deps.store),
    config,
    now: options.now ?? (() => new Date()),
    tokenizer,
  };
  const ctx: HistoryServerContext = { ...base, notify: registerHistoryResources(mcp, base) };
  registerTools(
    mcp,
    [
      appendTool(ctx),
      getTool(ctx),
      contextTool(ctx),
      listConversationsTool(ctx),
      searchTool(ctx),
      updateConversationTool(ctx),
      deleteConversationTool(ctx),
      usageTool(ctx),
      exportTool(ctx),
      importTool(ctx),
      applyRetentionTool(ctx),
    ],
    // registerTools takes ServerDeps<unknown>; Kysely's invariant types keep ServerDeps<HistoryDB>
    // from matching it, and it reads only logger, model, settings and inflight.
    deps as unknown as ServerDeps,
  );
  return mcp;
}

export { type HistoryConfig, loadHistoryConfig } from './config.js';
export type { HistoryDB } from './db.js';
export { migrationsDir } from './migrations-dir.js';
