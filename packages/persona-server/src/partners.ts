/** Resolving the other side of an interaction: the user, another persona, or a named party. */
import { ToolError } from '@choir/server-kit';
import type { Persona } from './persona.js';
import { findPersona } from './store/personas.js';
import type { PersonaDb } from './store/schema.js';

export interface Partner {
  id: string;
  name: string;
  kind: 'user' | 'persona' | 'party';
  persona: Persona | null;
}

export async function resolvePartner(db: PersonaDb, ref: string, self: Persona): Promise<Partner> {
  const trimmed = ref.trim();
  const lower = trimmed.toLowerCase();
  let partner: Partner;
  if (lower === 'user') {
    partner = { id: 'user', name: 'the user', kind: 'user', persona: null };
  } else {
    const persona = await findPersona(db, trimmed);
    partner = persona
      ? { id: persona.id, name: persona.name, kind: 'persona', persona }
      : { id: lower, name: trimmed, kind: 'party', persona: null };
  }
  if (partner.id === self.id) {
    throw new ToolError('INVALID_INPUT', `${self.name} cannot interact with itself`);
  }
  return partner;
}
