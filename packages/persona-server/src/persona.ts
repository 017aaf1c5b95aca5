/** The persona record as the tools see it, and how ids are made from names. */
import { randomBytes } from 'node:crypto';

export interface Persona {
  id: string;
  name: string;
  description: string;
  traits: string[];
  backstory: string;
  speakingStyle: string;
  fallbackResponses: string[];
  builtIn: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Ids that would be ambiguous as the other side of a relationship. */
export const RESERVED_IDS = new Set(['user', 'system', 'assistant']);

export const PERSONA_ID = /^[a-z][a-z0-9_-]{0,47}$/;

/** Case- and width-insensitive key under which names are unique. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/** `Captain Nemo` → `captain_nemo`; names without Latin letters get a random id. */
export function personaIdFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return slug && !RESERVED_IDS.has(slug) ? slug : `persona_${randomBytes(4).toString('hex')}`;
}

/** Picks the fallback line for the n-th reply, rotating so repeated calls do not repeat one line. */
export function fallbackResponse(
  persona: Pick<Persona, 'fallbackResponses' | 'name'>,
  replyIndex: number,
): string {
  const lines = persona.fallbackResponses;
  if (lines.length === 0) return `${persona.name} cannot answer right now.`;
  return lines[((replyIndex % lines.length) + lines.length) % lines.length]!;
}
