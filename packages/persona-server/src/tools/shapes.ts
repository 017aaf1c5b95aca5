/** zod shapes shared by several tools' inputs and outputs. */
import { z } from 'zod';
import { PRIORITIES } from '../interaction-state.js';
import type { Persona } from '../persona.js';
import { RELATIONSHIP_TYPES, type RelationshipValues, relationshipType } from '../relationships.js';
import type { StatusView } from '../runtime.js';

export const personaRef = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('Persona id or name (case-insensitive), e.g. "aria" or "Kira"');

/** The other side of an interaction: `user`, another persona's id or name, or any party id. */
export const partnerRef = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.:@-]*$/u, 'letters, digits, spaces and _ . : @ - only')
  .describe('Who the persona interacted with: "user", another persona (id or name), or any party id');

export const statusShape = z.object({
  persona_id: z.string(),
  name: z.string(),
  social_energy: z.number().describe('0..100'),
  interaction_fatigue: z.number().describe('0..100'),
  available_time: z.number().describe('minutes left in the daily conversation budget'),
  current_priority: z.enum(PRIORITIES),
  mood: z.number().describe('-1..1'),
  mood_label: z.string(),
  last_interaction: z.string().nullable(),
  available: z.boolean(),
  unavailable_reason: z.string().nullable(),
  available_in_hours: z.number().describe('0 when available now'),
  as_of: z.string(),
});
export type StatusShape = z.input<typeof statusShape>;
export const toStatusShape = (view: StatusView): StatusShape => view;

export const personaShape = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  traits: z.array(z.string()),
  backstory: z.string(),
  speaking_style: z.string(),
  fallback_responses: z.array(z.string()),
  built_in: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

export function toPersonaShape(p: Persona): z.input<typeof personaShape> {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    traits: p.traits,
    backstory: p.backstory,
    speaking_style: p.speakingStyle,
    fallback_responses: p.fallbackResponses,
    built_in: p.builtIn,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export const relationshipShape = z.object({
  persona_id: z.string(),
  with: z.string(),
  affinity: z.number().describe('-1..1'),
  trust: z.number().describe('0..1'),
  respect: z.number().describe('0..1'),
  intimacy: z.number().describe('0..1'),
  interaction_count: z.number().int(),
  type: z.enum(RELATIONSHIP_TYPES),
  last_interaction: z.string().nullable(),
});

export function toRelationshipShape(
  personaId: string,
  otherId: string,
  values: RelationshipValues,
  lastInteraction: string | null,
): z.input<typeof relationshipShape> {
  return {
    persona_id: personaId,
    with: otherId,
    affinity: values.affinity,
    trust: values.trust,
    respect: values.respect,
    intimacy: values.intimacy,
    interaction_count: values.interactionCount,
    type: relationshipType(values),
    last_interaction: lastInteraction,
  };
}

export const cursorInput = z.string().max(500).optional().describe('next_cursor from the previous page');
export const limitInput = (fallback: number, max: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`page size, 1..${max}`);

export const annotations = {
  read: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  write: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  destroy: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
} as const;
