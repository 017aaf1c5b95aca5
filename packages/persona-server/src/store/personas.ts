/** SQL for personas and their interaction state. */
import type { InteractionState, Priority } from '../interaction-state.js';
import { nameKey, type Persona } from '../persona.js';
import type { PersonaDb, PersonasTable, PersonaStateTable } from './schema.js';
import { iso, ms, msOrNull } from './time.js';

export function rowToPersona(row: PersonasTable): Persona {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    traits: JSON.parse(row.traits) as string[],
    backstory: row.backstory,
    speakingStyle: row.speaking_style,
    fallbackResponses: JSON.parse(row.fallback_responses) as string[],
    builtIn: row.built_in === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** By id, then by name, both case-insensitively. */
export async function findPersona(db: PersonaDb, ref: string): Promise<Persona | null> {
  const trimmed = ref.trim();
  const row =
    (await db
      .selectFrom('personas')
      .selectAll()
      .where('id', '=', trimmed.toLowerCase())
      .executeTakeFirst()) ??
    (await db.selectFrom('personas').selectAll().where('name_key', '=', nameKey(trimmed)).executeTakeFirst());
  return row ? rowToPersona(row) : null;
}

export async function personaIdTaken(db: PersonaDb, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('personas').select('id').where('id', '=', id).executeTakeFirst());
}

export async function personaWithName(db: PersonaDb, name: string): Promise<string | null> {
  const row = await db
    .selectFrom('personas')
    .select('id')
    .where('name_key', '=', nameKey(name))
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function listPersonas(db: PersonaDb, afterId: string | null, limit: number): Promise<Persona[]> {
  let query = db.selectFrom('personas').selectAll().orderBy('id').limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return (await query.execute()).map(rowToPersona);
}

export async function countPersonas(db: PersonaDb): Promise<number> {
  const row = await db
    .selectFrom('personas')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function personaRow(persona: Persona): PersonasTable {
  return {
    id: persona.id,
    name: persona.name,
    name_key: nameKey(persona.name),
    description: persona.description,
    traits: JSON.stringify(persona.traits),
    backstory: persona.backstory,
    speaking_style: persona.speakingStyle,
    fallback_responses: JSON.stringify(persona.fallbackResponses),
    built_in: persona.builtIn ? 1 : 0,
    created_at: persona.createdAt,
    updated_at: persona.updatedAt,
  };
}

export async function insertPersona(db: PersonaDb, persona: Persona, state: InteractionState): Promise<void> {
  await db.insertInto('personas').values(personaRow(persona)).execute();
  await db
    .insertInto('persona_state')
    .values(stateRow(persona.id, state, null))
    .execute();
}

export async function updatePersonaRow(db: PersonaDb, persona: Persona): Promise<void> {
  const { id: _id, built_in: _builtIn, created_at: _created, ...fields } = personaRow(persona);
  await db.updateTable('personas').set(fields).where('id', '=', persona.id).execute();
}

export interface DeletedCounts {
  memories: number;
  sessions: number;
  relationships: number;
}

/** Deletes a persona with everything it owns, and what others kept about it. */
export async function deletePersonaRows(db: PersonaDb, id: string): Promise<DeletedCounts> {
  const count = async (table: 'memories' | 'sessions', column: 'persona_id' | 'partner_id') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, '=', id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const memories = await count('memories', 'persona_id');
  const sessions = (await count('sessions', 'persona_id')) + (await count('sessions', 'partner_id'));
  const relationships = await db
    .selectFrom('relationships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('persona_id', '=', id), eb('other_id', '=', id)]))
    .executeTakeFirstOrThrow();
  // Rows that name the persona without a foreign key: other personas' views and conversations.
  await db.deleteFrom('relationships').where('other_id', '=', id).execute();
  await db.deleteFrom('sessions').where('partner_id', '=', id).execute();
  // The rest (state, its own relationships, memories and their vectors, sessions, turns) cascades.
  await db.deleteFrom('personas').where('id', '=', id).execute();
  return { memories, sessions, relationships: Number(relationships.n) };
}

function stateRow(personaId: string, state: InteractionState, upkeepAt: string | null): PersonaStateTable {
  return {
    persona_id: personaId,
    social_energy: state.socialEnergy,
    interaction_fatigue: state.interactionFatigue,
    available_time: state.availableTime,
    current_priority: state.currentPriority,
    mood: state.mood,
    last_interaction: state.lastInteraction === null ? null : iso(state.lastInteraction),
    as_of: iso(state.asOf),
    memory_upkeep_at: upkeepAt,
  };
}

export async function loadState(db: PersonaDb, personaId: string): Promise<InteractionState | null> {
  const row = await db
    .selectFrom('persona_state')
    .selectAll()
    .where('persona_id', '=', personaId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    socialEnergy: row.social_energy,
    interactionFatigue: row.interaction_fatigue,
    availableTime: row.available_time,
    currentPriority: row.current_priority as Priority,
    mood: row.mood,
    lastInteraction: msOrNull(row.last_interaction),
    asOf: ms(row.as_of),
  };
}

export async function saveState(db: PersonaDb, personaId: string, state: InteractionState): Promise<void> {
  const { persona_id: _id, memory_upkeep_at: _upkeep, ...fields } = stateRow(personaId, state, null);
  await db.updateTable('persona_state').set(fields).where('persona_id', '=', personaId).execute();
}

export async function memoryUpkeepAt(db: PersonaDb, personaId: string): Promise<number | null> {
  const row = await db
    .selectFrom('persona_state')
    .select('memory_upkeep_at')
    .where('persona_id', '=', personaId)
    .executeTakeFirst();
  return msOrNull(row?.memory_upkeep_at ?? null);
}

export async function setMemoryUpkeepAt(db: PersonaDb, personaId: string, at: number): Promise<void> {
  await db
    .updateTable('persona_state')
    .set({ memory_upkeep_at: iso(at) })
    .where('persona_id', '=', personaId)
    .execute();
}
