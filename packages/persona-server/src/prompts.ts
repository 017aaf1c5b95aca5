/**
 * One MCP prompt per persona (`persona_<id>`), so a Claude Desktop or Cursor user can pick a
 * persona from the prompt menu. Kept in step with persona_create/update/delete in this process;
 * the text itself is built when the prompt is fetched, so it carries the current state.
 */
import type { McpServer, RegisteredPrompt } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Persona } from './persona.js';
import type { Runtime } from './runtime.js';
import { findPersona, listPersonas } from './store/personas.js';
import type { PersonaChange } from './tools/personas.js';
import { personaPromptFor } from './tools/prompt.js';

export const promptName = (personaId: string) => `persona_${personaId}`;

export class PersonaPrompts {
  private readonly registered = new Map<string, RegisteredPrompt>();

  constructor(
    private readonly mcp: McpServer,
    private readonly rt: Runtime,
  ) {}

  /** Registers every stored persona; call before connecting (the SDK sets its handlers then). */
  async registerAll(): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const page = await listPersonas(this.rt.db, after, 200);
      for (const persona of page) this.add(persona);
      if (page.length < 200) break;
      after = page[page.length - 1]!.id;
    }
  }

  apply(change: PersonaChange, persona: Persona): void {
    const existing = this.registered.get(persona.id);
    if (change === 'deleted') {
      existing?.remove();
      this.registered.delete(persona.id);
    } else if (existing) {
      existing.update({ title: title(persona), description: persona.description });
    } else {
      this.add(persona);
    }
  }

  private add(persona: Persona): void {
    const id = persona.id;
    const registered = this.mcp.registerPrompt(
      promptName(id),
      { title: title(persona), description: persona.description },
      async () => {
        const current = await findPersona(this.rt.db, id);
        if (!current) throw new McpError(ErrorCode.InvalidParams, `persona ${id} no longer exists`);
        const { prompt } = await personaPromptFor(this.rt, current);
        return {
          description: `Speak as ${current.name}`,
          messages: [
            {
              role: 'user' as const,
              content: {
                type: 'text' as const,
                text: `${prompt}\n\nFrom now on, answer me as ${current.name}, in character.`,
              },
            },
          ],
        };
      },
    );
    this.registered.set(id, registered);
  }
}

function title(persona: Persona): string {
  return `Speak as ${persona.name}`;
}
