/** Recording an interaction: the persona's state and its view of the other party, in one write. */
import { applyInteraction, type InteractionState } from './interaction-state.js';
import { type RelationshipValues, updateRelationship } from './relationships.js';
import { currentState } from './runtime.js';
import { saveState } from './store/personas.js';
import { relationshipOrNew, saveRelationship } from './store/relationships.js';
import type { PersonaDb } from './store/schema.js';

export interface InteractionOutcome {
  state: InteractionState;
  relationship: RelationshipValues;
}

/** Run inside a transaction: reads and writes the persona's state and one relationship. */
export async function recordInteraction(
  db: PersonaDb,
  personaId: string,
  otherId: string,
  interaction: { quality: number; minutes: number },
  now: number,
): Promise<InteractionOutcome> {
  const state = applyInteraction(await currentState(db, personaId, now), interaction, now);
  await saveState(db, personaId, state);
  const relationship = updateRelationship(await relationshipOrNew(db, personaId, otherId), interaction);
  await saveRelationship(db, personaId, otherId, relationship, now);
  return { state, relationship };
}

/** The energy an exchange costs without touching relationships (no judgement of quality exists). */
export async function spendExchange(
  db: PersonaDb,
  personaId: string,
  now: number,
): Promise<InteractionState> {
  const state = applyInteraction(await currentState(db, personaId, now), NEUTRAL_EXCHANGE, now);
  await saveState(db, personaId, state);
  return state;
}

/**
 * What one chat exchange costs a persona when nobody has rated it: neutral quality, no
 * measured duration. Relationships change only through ratings (persona_record_interaction)
 * or, for persona-to-persona conversations, the conversation's mean continue score.
 */
export const NEUTRAL_EXCHANGE = { quality: 0.5, minutes: 0 } as const;
