/**
 * What every tool of this server shares: the database, the clock, the embedder's vector space,
 * the memory cap, and persona look-up that fails with NOT_FOUND.
 */
import { type Embedder, resolveEmbedder } from '@choir/llm';
import { type ServerDeps, ToolError } from '@choir/server-kit';
import {
  availability,
  hoursUntilAvailable,
  type InteractionState,
  initialState,
  moodLabel,
  projectState,
} from './interaction-state.js';
import { PRUNE_RULES } from './memory-pruning.js';
import type { Persona } from './persona.js';
import { findPersona, loadState } from './store/personas.js';
import type { PersonaDb, PersonaTables } from './store/schema.js';
import { iso } from './store/time.js';
import { VectorSpace } from './store/vector-space.js';

export interface PersonaServerOptions {
  /** Defaults to resolveEmbedder(deps.env): the built-in hash embedder unless CHOIR_EMBEDDING says otherwise. */
  embedder?: Embedder;
  /** The clock, ms since epoch; tests move it to check recovery, decay and session expiry. */
  now?: () => number;
}

export interface Runtime {
  deps: ServerDeps<PersonaTables>;
  db: PersonaDb;
  now: () => number;
  vectors: VectorSpace;
  memoryCap: number;
}

export function createRuntime(deps: ServerDeps<PersonaTables>, options: PersonaServerOptions = {}): Runtime {
  const embedder = options.embedder ?? resolveEmbedder(deps.env);
  return {
    deps,
    db: deps.store.db,
    now: options.now ?? Date.now,
    vectors: new VectorSpace(deps.store.db, embedder),
    memoryCap: memoryCapFrom(deps.env.PERSONA_MEMORY_CAP),
  };
}

function memoryCapFrom(raw: string | undefined): number {
  const text = raw?.trim();
  if (!text) return PRUNE_RULES.cap;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new Error(`PERSONA_MEMORY_CAP must be a positive whole number, got ${JSON.stringify(raw)}`);
  }
  return Number(text);
}

export async function requirePersona(db: PersonaDb, ref: string): Promise<Persona> {
  const persona = await findPersona(db, ref);
  if (!persona) {
    throw new ToolError(
      'NOT_FOUND',
      `no persona with id or name "${ref}"`,
      'persona_list shows the personas',
    );
  }
  return persona;
}

/** The stored state projected to `now` (recovery applied). */
export async function currentState(db: PersonaDb, personaId: string, now: number): Promise<InteractionState> {
  const stored = await loadState(db, personaId);
  return projectState(stored ?? initialState(now), now);
}

export function statusView(persona: Persona, state: InteractionState) {
  const { available, reason } = availability(state);
  return {
    persona_id: persona.id,
    name: persona.name,
    social_energy: state.socialEnergy,
    interaction_fatigue: state.interactionFatigue,
    available_time: state.availableTime,
    current_priority: state.currentPriority,
    mood: state.mood,
    mood_label: moodLabel(state.mood),
    last_interaction: state.lastInteraction === null ? null : iso(state.lastInteraction),
    available,
    unavailable_reason: reason,
    available_in_hours: hoursUntilAvailable(state),
    as_of: iso(state.asOf),
  };
}

export type StatusView = ReturnType<typeof statusView>;
