/** persona_prompt: the system prompt that gives the Action and Yield phases their voice. */
import { defineTool, type ToolSpec } from '@choir/server-kit';
import { z } from 'zod';
import { availability } from '../interaction-state.js';
import { resolvePartner } from '../partners.js';
import type { Persona } from '../persona.js';
import { buildPersonaPrompt } from '../persona-prompt.js';
import { currentState, requirePersona, type Runtime, statusView } from '../runtime.js';
import { findRelationship } from '../store/relationships.js';
import { annotations, partnerRef, personaRef, statusShape, toStatusShape } from './shapes.js';

export const DEFAULT_PERSONA = 'aria';

/** The prompt for a persona as of now, speaking with `partnerRef` (default the user). */
export async function personaPromptFor(rt: Runtime, persona: Persona, partnerRefValue = 'user') {
  const now = rt.now();
  const state = await currentState(rt.db, persona.id, now);
  const partner = await resolvePartner(rt.db, partnerRefValue, persona);
  const relationship = await findRelationship(rt.db, persona.id, partner.id);
  const { available } = availability(state);
  const prompt = buildPersonaPrompt({
    persona,
    state,
    available,
    partner: { id: partner.id, name: partner.name, relationship },
  });
  return { prompt, state, available, partner };
}

export function promptTools(rt: Runtime): ToolSpec[] {
  const prompt = defineTool({
    name: 'persona_prompt',
    title: 'Persona system prompt',
    description:
      'The system prompt that makes a model speak as a persona: traits, backstory, speaking style, current state and how it regards whom it is talking to. Default persona: aria.',
    input: z.object({
      persona: personaRef.default(DEFAULT_PERSONA),
      with: partnerRef.default('user'),
    }),
    output: z.object({
      persona_id: z.string(),
      name: z.string(),
      prompt: z.string(),
      available: z.boolean(),
      status: statusShape,
    }),
    annotations: annotations.read,
    async handler(args) {
      const persona = await requirePersona(rt.db, args.persona);
      const { prompt: text, state, available } = await personaPromptFor(rt, persona, args.with);
      return {
        text,
        data: {
          persona_id: persona.id,
          name: persona.name,
          prompt: text,
          available,
          status: toStatusShape(statusView(persona, state)),
        },
      };
    },
  });
  return [prompt];
}
