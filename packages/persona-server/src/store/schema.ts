/** Kysely table types for persona.db (migrations/persona). */
import type { CoreTables } from '@choir/storage';
import type { Generated, Kysely, Selectable } from 'kysely';

export interface PersonasTable {
  id: string;
  name: string;
  name_key: string;
  description: string;
  traits: string;
  backstory: string;
  speaking_style: string;
  fallback_responses: string;
  built_in: number;
  created_at: string;
  updated_at: string;
}

export interface PersonaStateTable {
  persona_id: string;
  social_energy: number;
  interaction_fatigue: number;
  available_time: number;
  current_priority: string;
  mood: number;
  last_interaction: string | null;
  as_of: string;
  memory_upkeep_at: string | null;
}

export interface RelationshipsTable {
  persona_id: string;
  other_id: string;
  affinity: number;
  trust: number;
  respect: number;
  intimacy: number;
  interaction_count: number;
  last_interaction: string | null;
  created_at: string;
  updated_at: string;
}

export interface MemoriesTableDef {
  seq: Generated<number>;
  id: string;
  persona_id: string;
  content: string;
  content_hash: string;
  memory_type: string;
  importance: number;
  emotional_valence: number;
  visibility: string;
  related_to: string | null;
  access_count: number;
  last_accessed: string | null;
  created_at: string;
  decayed_at: string;
}

export interface SessionsTable {
  id: string;
  kind: string;
  persona_id: string;
  partner_id: string;
  topic: string | null;
  summary: string | null;
  summary_kind: string | null;
  summarized_through: number;
  turn_count: number;
  tokens_total: number;
  status: string;
  stop_reason: string | null;
  created_at: string;
  last_activity: string;
}

export interface TurnsTable {
  session_id: string;
  turn_number: number;
  speaker_id: string;
  role: string;
  content: string;
  response_type: string;
  continue_score: number | null;
  tokens: number;
  prompt_tokens: number | null;
  processing_ms: number | null;
  model: string | null;
  created_at: string;
}

export interface PersonaTables {
  personas: PersonasTable;
  persona_state: PersonaStateTable;
  relationships: RelationshipsTable;
  memories: MemoriesTableDef;
  sessions: SessionsTable;
  turns: TurnsTable;
}

export type PersonaDb = Kysely<PersonaTables & CoreTables>;

export type MemoriesTable = Selectable<MemoriesTableDef>;
