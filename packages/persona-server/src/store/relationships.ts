/** SQL for directed relationships. */
import { NEW_RELATIONSHIP, type RelationshipValues } from '../relationships.js';
import type { PersonaDb, RelationshipsTable } from './schema.js';
import { iso } from './time.js';

export interface StoredRelationship extends RelationshipValues {
  personaId: string;
  otherId: string;
  lastInteraction: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

function fromRow(row: RelationshipsTable): StoredRelationship {
  return {
    personaId: row.persona_id,
    otherId: row.other_id,
    affinity: row.affinity,
    trust: row.trust,
    respect: row.respect,
    intimacy: row.intimacy,
    interactionCount: row.interaction_count,
    lastInteraction: row.last_interaction,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findRelationship(
  db: PersonaDb,
  personaId: string,
  otherId: string,
): Promise<StoredRelationship | null> {
  const row = await db
    .selectFrom('relationships')
    .selectAll()
    .where('persona_id', '=', personaId)
    .where('other_id', '=', otherId)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** The stored relationship, or the starting values of one that has not begun. */
export async function relationshipOrNew(db: PersonaDb, personaId: string, otherId: string) {
  const found = await findRelationship(db, personaId, otherId);
  return (
    found ?? {
      ...NEW_RELATIONSHIP,
      personaId,
      otherId,
      lastInteraction: null,
      createdAt: null,
      updatedAt: null,
    }
  );
}

export async function saveRelationship(
  db: PersonaDb,
  personaId: string,
  otherId: string,
  values: RelationshipValues,
  now: number,
): Promise<void> {
  const at = iso(now);
  const fields = {
    affinity: values.affinity,
    trust: values.trust,
    respect: values.respect,
    intimacy: values.intimacy,
    interaction_count: values.interactionCount,
    last_interaction: at,
    updated_at: at,
  };
  await db
    .insertInto('relationships')
    .values({ persona_id: personaId, other_id: otherId, created_at: at, ...fields })
    .onConflict((oc) => oc.columns(['persona_id', 'other_id']).doUpdateSet(fields))
    .execute();
}

export async function listRelationships(
  db: PersonaDb,
  personaId: string,
  afterOtherId: string | null,
  limit: number,
): Promise<StoredRelationship[]> {
  let query = db
    .selectFrom('relationships')
    .selectAll()
    .where('persona_id', '=', personaId)
    .orderBy('other_id')
    .limit(limit);
  if (afterOtherId !== null) query = query.where('other_id', '>', afterOtherId);
  return (await query.execute()).map(fromRow);
}
