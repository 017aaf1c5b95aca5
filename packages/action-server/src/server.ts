import { createChoirServer, registerTools, type ServerDeps } from '@choir/server-kit';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { loadActionConfig } from './config.js';
import type { ActionDB } from './store.js';
import { followupTool } from './tools/followup.js';
import { logTool } from './tools/log.js';
import { respondTool } from './tools/respond.js';
import { yieldTool } from './tools/yield.js';

export const VERSION = '0.1.0';

const INSTRUCTIONS =
  "Choir's user-facing voice. action_respond gives a quick first answer (stream it with a progress " +
  'token); action_yield writes the final answer citing priors as [id] and says whether another cycle ' +
  'is needed; action_followup asks the user one clarifying question; action_log lists what was ' +
  'produced. Without a model the answers are extractive and marked generated: false.';

export function createActionServer(deps: ServerDeps<ActionDB>): McpServer {
  const config = loadActionConfig(deps.env);
  const mcp = createChoirServer({ name: 'action', version: VERSION, instructions: INSTRUCTIONS });
  registerTools(
    mcp,
    [respondTool(deps, config), yieldTool(deps, config), followupTool(deps, config), logTool(deps)],
    deps,
  );
  return mcp;
}

export type { ActionDB } from './store.js';
