/** createExperienceServer(deps): the experience MCP server, with no I/O at import or creation. */
import { createRequire } from 'node:module';
import { type Embedder, resolveEmbedder } from '@choir/llm';
import { createChoirServer, registerTools, type ServerDeps } from '@choir/server-kit';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createContext, type ExperienceContext } from './context.js';
import type { ExperienceDB } from './db.js';
import { ExperienceStore } from './store.js';
import { deleteTool, getTool, reindexTool, statsTool } from './tools/admin.js';
import { citeTool, rewardsTool } from './tools/cite.js';
import { linksTool } from './tools/links.js';
import { observeTool } from './tools/observe.js';
import { recordTool } from './tools/record.js';
import { searchTool } from './tools/search.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface ExperienceServerOptions {
  /** Overrides CHOIR_EMBEDDING (tests, embedding the server in another program). */
  embedder?: Embedder;
  /** Overrides the clock (tests). */
  now?: () => Date;
}

const INSTRUCTIONS = `Long-term memory for conversations: record messages, search them (hybrid vector + keyword),
observe how a message relates to earlier ones, and record citations.
- experience_search before answering: it returns priors with ids; cite a prior by writing its id in square brackets, e.g. [exp_12].
- experience_record after a turn: the user's message and the final answer (same thread_id).
- experience_cite with the answer's id and the ids it cited.`;

export function createExperienceServer(
  deps: ServerDeps<ExperienceDB>,
  options: ExperienceServerOptions = {},
): McpServer {
  const context = createExperienceContext(deps, options);
  const mcp = createChoirServer({ name: 'experience', version, instructions: INSTRUCTIONS });
  registerTools(
    mcp,
    [
      searchTool(context),
      recordTool(context),
      observeTool(context),
      linksTool(context),
      citeTool(context),
      rewardsTool(context),
      getTool(context),
      statsTool(context),
      deleteTool(context),
      reindexTool(context),
    ],
    deps,
  );
  return mcp;
}

export function createExperienceContext(
  deps: ServerDeps<ExperienceDB>,
  options: ExperienceServerOptions = {},
): ExperienceContext {
  return createContext({
    store: new ExperienceStore(deps.store),
    // Resolved lazily inside createContext's try: a bad CHOIR_EMBEDDING is reported by the tools, not a crash.
    embedder: options.embedder ?? (() => resolveEmbedder(deps.env)),
    logger: deps.logger,
    ...(options.now ? { now: options.now } : {}),
  });
}

export type { ExperienceDB } from './db.js';
