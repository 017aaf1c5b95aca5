import { describe, expect, it } from 'vitest';
import { fallbackResponse, nameKey, personaIdFromName } from './persona.js';

describe('persona ids and names', () => {
  it('derives readable ids from names', () => {
    expect(personaIdFromName('Captain Nemo')).toBe('captain_nemo');
    expect(personaIdFromName('Émile Zola!')).toBe('emile_zola');
    expect(personaIdFromName('42 Robots')).toBe('robots');
    expect(personaIdFromName('李白')).toMatch(/^persona_[0-9a-f]{8}$/);
    expect(personaIdFromName('User')).toMatch(/^persona_[0-9a-f]{8}$/);
  });

  it('compares names case- and width-insensitively', () => {
    expect(nameKey(' ARIA ')).toBe('aria');
    expect(nameKey('ＡＲＩＡ')).toBe('aria');
  });

  it('rotates fallback responses', () => {
    const p = { name: 'X', fallbackResponses: ['a', 'b', 'c'] };
    expect([0, 1, 2, 3, 4].map((i) => fallbackResponse(p, i))).toEqual(['a', 'b', 'c', 'a', 'b']);
    expect(fallbackResponse({ name: 'X', fallbackResponses: [] }, 0)).toBe('X cannot answer right now.');
  });
});
