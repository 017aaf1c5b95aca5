/** Resources: persona://personas (the list) and persona://personas/{id} (one persona with its status). */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { currentState, type Runtime, statusView } from './runtime.js';
import { countMemories } from './store/memories.js';
import { countPersonas, findPersona, listPersonas } from './store/personas.js';
import { listRelationships } from './store/relationships.js';
import { toPersonaShape } from './tools/shapes.js';

/** Resource listings are not paginated by most clients; past this, use persona_list. */
const RESOURCE_LIST_CAP = 200;

export function registerResources(mcp: McpServer, rt: Runtime): void {
  mcp.registerResource(
    'personas',
    'persona://personas',
    {
      title: 'Personas',
      description: 'Every persona with whether it is available now',
      mimeType: 'application/json',
    },
    async (uri) => {
      const personas = await listPersonas(rt.db, null, RESOURCE_LIST_CAP);
      const total = await countPersonas(rt.db);
      const now = rt.now();
      const items = [];
      for (const p of personas) {
        const status = statusView(p, await currentState(rt.db, p.id, now));
        items.push({
          id: p.id,
          name: p.name,
          description: p.description,
          built_in: p.builtIn,
          available: status.available,
          uri: `persona://personas/${p.id}`,
        });
      }
      const body = { personas: items, total, truncated: total > items.length };
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }],
      };
    },
  );

  mcp.registerResource(
    'persona',
    new ResourceTemplate('persona://personas/{id}', {
      list: async () => {
        const personas = await listPersonas(rt.db, null, RESOURCE_LIST_CAP);
        return {
          resources: personas.map((p) => ({
            uri: `persona://personas/${p.id}`,
            name: p.id,
            title: p.name,
            description: p.description,
            mimeType: 'application/json',
          })),
        };
      },
      complete: {
        id: async (value) =>
          (await listPersonas(rt.db, null, 1000)).map((p) => p.id).filter((id) => id.startsWith(value)),
      },
    }),
    {
      title: 'Persona',
      description: 'One persona: record, status, memory count, relationships',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const raw = variables.id;
      const id = decodeURIComponent(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
      const persona = await findPersona(rt.db, id);
      if (!persona) throw new McpError(ErrorCode.InvalidParams, `no persona ${id}`);
      const status = statusView(persona, await currentState(rt.db, persona.id, rt.now()));
      const relationships = await listRelationships(rt.db, persona.id, null, 50);
      const body = {
        persona: toPersonaShape(persona),
        status,
        memory_count: await countMemories(rt.db, persona.id),
        relationships: relationships.map((r) => ({
          with: r.otherId,
          interaction_count: r.interactionCount,
          affinity: r.affinity,
          trust: r.trust,
        })),
      };
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }],
      };
    },
  );
}
