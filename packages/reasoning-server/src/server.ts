/** createReasoningServer: the reasoning MCP server with all its tools; no I/O at import. */
import { createChoirServer, registerTools, type ToolSpec } from '@choir/server-kit';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { cacheTtlSeconds, type ReasoningDeps } from './deps.js';
import { autoTool } from './tools/auto.js';
import { backtrackTool, checkpointCreateTool, checkpointListTool } from './tools/checkpoints.js';
import { divergentTool } from './tools/divergent.js';
import {
  gotAggregateTool,
  gotConnectTool,
  gotGenerateTool,
  gotInitTool,
  gotRefineTool,
} from './tools/got-build.js';
import { gotFinalizeTool, gotPruneTool, gotScoreTool, gotStateTool } from './tools/got-evaluate.js';
import { linearTool } from './tools/linear.js';
import { reflectTool } from './tools/reflect.js';
import { metricsTool } from './tools/metrics.js';
import { searchTool } from './tools/search.js';
import { sessionGetTool, sessionListTool } from './tools/sessions.js';
import { sessionExportTool, sessionImportTool } from './tools/transfer.js';
import { treeCompleteTool, treeFocusTool, treeListTool, treeTool } from './tools/tree.js';

export const VERSION = '0.1.0';

export type { ReasoningDeps } from './deps.js';
export type { ReasoningDB } from './store/tables.js';

const INSTRUCTIONS =
  'Reasoning workbench. Sessions hold thoughts; reasoning_linear adds steps, reasoning_tree branches, ' +
  'reasoning_divergent gives several perspectives, reasoning_reflect critiques and improves, checkpoints and ' +
  'reasoning_backtrack return to earlier states, reasoning_auto picks a mode, reasoning_got_* build a graph of ' +
  'thoughts. Without a model (no sampling, no provider) tools record what you pass and say generated: false.';

export function reasoningTools(deps: ReasoningDeps): ToolSpec[] {
  return [
    linearTool(deps),
    treeTool(deps),
    treeFocusTool(deps),
    treeListTool(deps),
    treeCompleteTool(deps),
    divergentTool(deps),
    reflectTool(deps),
    checkpointCreateTool(deps),
    checkpointListTool(deps),
    backtrackTool(deps),
    autoTool(deps),
    gotInitTool(deps),
    gotGenerateTool(deps),
    gotScoreTool(deps),
    gotAggregateTool(deps),
    gotRefineTool(deps),
    gotConnectTool(deps),
    gotPruneTool(deps),
    gotFinalizeTool(deps),
    gotStateTool(deps),
    sessionListTool(deps),
    sessionGetTool(deps),
    sessionExportTool(deps),
    sessionImportTool(deps),
    searchTool(deps),
    metricsTool(deps),
  ];
}

export function createReasoningServer(deps: ReasoningDeps): McpServer {
  // Fail at start-up, not on the first generation, when the cache TTL is malformed.
  cacheTtlSeconds(deps.env);
  const mcp = createChoirServer({ name: 'reasoning', version: VERSION, instructions: INSTRUCTIONS });
  registerTools(mcp, reasoningTools(deps), deps);
  return mcp;
}
