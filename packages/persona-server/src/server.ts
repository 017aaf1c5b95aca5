/** createPersonaServer(deps): the MCP server with every persona tool, resource and prompt. */
import { createChoirServer, registerTools, type ServerDeps } from '@choir/server-kit';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PersonaPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { createRuntime, type PersonaServerOptions } from './runtime.js';
import type { PersonaTables } from './store/schema.js';
import { chatTools } from './tools/chat.js';
import { converseTools } from './tools/converse.js';
import { memoryTools } from './tools/memories.js';
import { personaTools } from './tools/personas.js';
import { promptTools } from './tools/prompt.js';
import { relationshipTools } from './tools/relationships.js';
import { sessionTools } from './tools/sessions.js';
import { stateTools } from './tools/state.js';

export const VERSION = '0.1.0';

export type { PersonaServerOptions } from './runtime.js';
export type { PersonaTables } from './store/schema.js';

const INSTRUCTIONS =
  'Personas with state, memory and relationships. persona_prompt gives a system prompt to speak as a persona ' +
  '(default aria); persona_chat talks with one in a persisted session; persona_record_interaction updates state ' +
  'and the relationship after a turn; persona_remember / persona_recall store and search its memories.';

/**
 * Async because the prompt menu lists one prompt per stored persona, which must be registered
 * before the transport connects. No I/O happens at import.
 */
export async function createPersonaServer(
  deps: ServerDeps<PersonaTables>,
  options: PersonaServerOptions = {},
): Promise<McpServer> {
  const rt = createRuntime(deps, options);
  const mcp = createChoirServer({ name: 'persona', version: VERSION, instructions: INSTRUCTIONS });
  const prompts = new PersonaPrompts(mcp, rt);
  registerTools(
    mcp,
    [
      ...personaTools(rt, (change, persona) => prompts.apply(change, persona)),
      ...promptTools(rt),
      ...stateTools(rt),
      ...relationshipTools(rt),
      ...chatTools(rt),
      ...converseTools(rt),
      ...sessionTools(rt),
      ...memoryTools(rt),
    ],
    deps,
  );
  registerResources(mcp, rt);
  await prompts.registerAll();
  return mcp;
}
