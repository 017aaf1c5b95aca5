/** persona_list, persona_get, persona_create, persona_update, persona_delete. */
import { defineTool, type ToolSpec, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { initialState, PRIORITIES } from '../interaction-state.js';
import { PERSONA_ID, type Persona, personaIdFromName, RESERVED_IDS } from '../persona.js';
import { currentState, requirePersona, type Runtime, statusView } from '../runtime.js';
import { countMemories } from '../store/memories.js';
import {
  deletePersonaRows,
  insertPersona,
  listPersonas,
  personaIdTaken,
  personaWithName,
  saveState,
  updatePersonaRow,
} from '../store/personas.js';
import { iso } from '../store/time.js';
import {
  annotations,
  cursorInput,
  limitInput,
  personaRef,
  personaShape,
  statusShape,
  toPersonaShape,
  toStatusShape,
} from './shapes.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const lines = (maxItems: number, maxChars: number) => z.array(text(maxChars)).min(1).max(maxItems);

const personaFields = {
  name: text(60).describe('Display name, unique regardless of case'),
  description: text(500).describe('One or two sentences: who this is'),
  traits: lines(20, 60).describe('Personality traits, e.g. ["curious", "blunt"]'),
  backstory: text(4000),
  speaking_style: text(1000).describe('How the persona talks'),
  fallback_responses: lines(10, 500).describe(
    'What the persona says when no model is available (honest that no real answer is coming)',
  ),
};

/** Persona views carry the live status; handlers share these helpers. */
export type PersonaChange = 'created' | 'updated' | 'deleted';
export type OnPersonaChange = (change: PersonaChange, persona: Persona) => void;

export function personaTools(rt: Runtime, onChange: OnPersonaChange): ToolSpec[] {
  const isAfterCursor = (v: Record<string, unknown>): v is { after: string } => typeof v.after === 'string';

  const list = defineTool({
    name: 'persona_list',
    title: 'List personas',
    description:
      'Lists personas (built-in Aria and Kira plus any created) with whether each is available now.',
    input: z.object({ cursor: cursorInput, limit: limitInput(20, 100) }),
    output: z.object({
      personas: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          description: z.string(),
          built_in: z.boolean(),
          available: z.boolean(),
        }),
      ),
      next_cursor: z.string().nullable(),
    }),
    annotations: annotations.read,
    async handler(args) {
      const after = args.cursor ? decodeCursor(args.cursor, isAfterCursor).after : null;
      const page = await listPersonas(rt.db, after, args.limit + 1);
      const shown = page.slice(0, args.limit);
      const now = rt.now();
      const personas = [];
      for (const p of shown) {
        const status = statusView(p, await currentState(rt.db, p.id, now));
        personas.push({
          id: p.id,
          name: p.name,
          description: p.description,
          built_in: p.builtIn,
          available: status.available,
        });
      }
      const next = page.length > args.limit ? encodeCursor({ after: shown[shown.length - 1]!.id }) : null;
      const textOut = personas
        .map(
          (p) =>
            `${p.name} (${p.id})${p.built_in ? ' [built-in]' : ''}${p.available ? '' : ' — unavailable'}: ${p.description}`,
        )
        .join('\n');
      return { text: textOut || 'No personas.', data: { personas, next_cursor: next } };
    },
  });

  const get = defineTool({
    name: 'persona_get',
    title: 'Get a persona',
    description:
      'One persona in full: traits, backstory, speaking style, fallback responses, status and memory count.',
    input: z.object({ persona: personaRef }),
    output: z.object({ persona: personaShape, status: statusShape, memory_count: z.number().int() }),
    annotations: annotations.read,
    async handler(args) {
      const persona = await requirePersona(rt.db, args.persona);
      const status = statusView(persona, await currentState(rt.db, persona.id, rt.now()));
      const memoryCount = await countMemories(rt.db, persona.id);
      return {
        text: `${persona.name} (${persona.id}): ${persona.description}\nTraits: ${persona.traits.join(', ')}\n${
          status.available ? 'Available now.' : `Unavailable: ${status.unavailable_reason}.`
        } ${memoryCount} memories.`,
        data: { persona: toPersonaShape(persona), status: toStatusShape(status), memory_count: memoryCount },
      };
    },
  });

  const create = defineTool({
    name: 'persona_create',
    title: 'Create a persona',
    description:
      'Creates a persona. The id is derived from the name unless given; names and ids must be unique.',
    input: z.object({
      id: z
        .string()
        .regex(
          PERSONA_ID,
          'lower-case letters, digits, _ and -, starting with a letter, at most 48 characters',
        )
        .optional(),
      ...personaFields,
      current_priority: z.enum(PRIORITIES).default('normal'),
    }),
    output: z.object({ persona: personaShape, status: statusShape }),
    annotations: annotations.write,
    async handler(args) {
      if (args.id && RESERVED_IDS.has(args.id)) {
        throw new ToolError('INVALID_INPUT', `"${args.id}" is reserved and cannot be a persona id`);
      }
      const now = rt.now();
      const persona: Persona = {
        id: args.id ?? personaIdFromName(args.name),
        name: args.name,
        description: args.description,
        traits: args.traits,
        backstory: args.backstory,
        speakingStyle: args.speaking_style,
        fallbackResponses: args.fallback_responses,
        builtIn: false,
        createdAt: iso(now),
        updatedAt: iso(now),
      };
      const state = initialState(now, args.current_priority);
      await rt.db.transaction().execute(async (trx) => {
        const sameName = await personaWithName(trx, persona.name);
        if (sameName)
          throw new ToolError('CONFLICT', `persona "${sameName}" already has the name ${persona.name}`);
        if (await personaIdTaken(trx, persona.id)) {
          throw new ToolError(
            'CONFLICT',
            `a persona with id "${persona.id}" already exists`,
            'pass a different id',
          );
        }
        await insertPersona(trx, persona, state);
      });
      onChange('created', persona);
      return {
        text: `Created ${persona.name} (${persona.id}).`,
        data: { persona: toPersonaShape(persona), status: toStatusShape(statusView(persona, state)) },
      };
    },
  });

  const update = defineTool({
    name: 'persona_update',
    title: 'Update a persona',
    description:
      "Changes a persona's name, description, traits, backstory, speaking style, fallback responses or current priority. Built-ins can be edited too.",
    input: z.object({
      persona: personaRef,
      name: personaFields.name.optional(),
      description: personaFields.description.optional(),
      traits: personaFields.traits.optional(),
      backstory: personaFields.backstory.optional(),
      speaking_style: personaFields.speaking_style.optional(),
      fallback_responses: personaFields.fallback_responses.optional(),
      current_priority: z
        .enum(PRIORITIES)
        .optional()
        .describe('low needs energy ≥ 40 to be available, normal ≥ 20, high ≥ 10'),
    }),
    output: z.object({ persona: personaShape, status: statusShape, changed: z.array(z.string()) }),
    annotations: { ...annotations.write, idempotentHint: true },
    async handler(args) {
      const { persona: ref, current_priority: priority, ...fields } = args;
      const changed = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k);
      if (priority !== undefined) changed.push('current_priority');
      if (changed.length === 0) {
        throw new ToolError('INVALID_INPUT', 'nothing to change: pass at least one field besides persona');
      }
      const now = rt.now();
      const result = await rt.db.transaction().execute(async (trx) => {
        const current = await requirePersona(trx, ref);
        if (fields.name !== undefined) {
          const holder = await personaWithName(trx, fields.name);
          if (holder && holder !== current.id) {
            throw new ToolError('CONFLICT', `persona "${holder}" already has the name ${fields.name}`);
          }
        }
        const next: Persona = {
          ...current,
          name: fields.name ?? current.name,
          description: fields.description ?? current.description,
          traits: fields.traits ?? current.traits,
          backstory: fields.backstory ?? current.backstory,
          speakingStyle: fields.speaking_style ?? current.speakingStyle,
          fallbackResponses: fields.fallback_responses ?? current.fallbackResponses,
          updatedAt: iso(now),
        };
        await updatePersonaRow(trx, next);
        let state = await currentState(trx, current.id, now);
        if (priority !== undefined) {
          state = { ...state, currentPriority: priority };
          await saveState(trx, current.id, state);
        }
        return { persona: next, state };
      });
      onChange('updated', result.persona);
      return {
        text: `Updated ${result.persona.name} (${result.persona.id}): ${changed.join(', ')}.`,
        data: {
          persona: toPersonaShape(result.persona),
          status: toStatusShape(statusView(result.persona, result.state)),
          changed,
        },
      };
    },
  });

  const remove = defineTool({
    name: 'persona_delete',
    title: 'Delete a persona',
    description:
      "Deletes a created persona with its memories, sessions and relationships (and other personas' relationships with it). Built-ins cannot be deleted.",
    input: z.object({ persona: personaRef }),
    output: z.object({
      persona_id: z.string(),
      deleted: z.literal(true),
      memories_deleted: z.number().int(),
      sessions_deleted: z.number().int(),
      relationships_deleted: z.number().int(),
    }),
    annotations: annotations.destroy,
    async handler(args) {
      const { persona, counts } = await rt.db.transaction().execute(async (trx) => {
        const found = await requirePersona(trx, args.persona);
        if (found.builtIn) {
          throw new ToolError(
            'CONFLICT',
            `${found.name} is a built-in persona and cannot be deleted`,
            'persona_update can change it instead',
          );
        }
        return { persona: found, counts: await deletePersonaRows(trx, found.id) };
      });
      onChange('deleted', persona);
      return {
        text: `Deleted ${persona.name} (${persona.id}): ${counts.memories} memories, ${counts.sessions} sessions, ${counts.relationships} relationships.`,
        data: {
          persona_id: persona.id,
          deleted: true as const,
          memories_deleted: counts.memories,
          sessions_deleted: counts.sessions,
          relationships_deleted: counts.relationships,
        },
      };
    },
  });

  return [list, get, create, update, remove];
}
