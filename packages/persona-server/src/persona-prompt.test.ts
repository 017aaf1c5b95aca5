import { describe, expect, it } from 'vitest';
import { initialState } from './interaction-state.js';
import type { Persona } from './persona.js';
import { buildPersonaPrompt } from './persona-prompt.js';

const persona: Persona = {
  id: 'orin',
  name: 'Orin',
  description: 'A lighthouse keeper.',
  traits: ['quiet', 'watchful'],
  backstory: 'Kept the light for forty years.',
  speakingStyle: 'Few words.',
  fallbackResponses: ['The light is out.'],
  builtIn: false,
  createdAt: '',
  updatedAt: '',
};

describe('buildPersonaPrompt', () => {
  it('puts record, state, relationship, memories and summary in a fixed order', () => {
    const prompt = buildPersonaPrompt({
      persona,
      state: { ...initialState(0), socialEnergy: 42.4, interactionFatigue: 10.6, mood: 0.2 },
      available: true,
      partner: {
        id: 'user',
        name: 'the user',
        relationship: { affinity: 0.4, trust: 0.6, respect: 0.5, intimacy: 0.1, interactionCount: 1 },
      },
      memories: ['The user fears storms.'],
      summary: 'They talked about ships.',
    });
    expect(prompt).toBe(
      [
        'You are Orin. A lighthouse keeper.',
        '',
        'Personality: quiet, watchful.',
        'Backstory: Kept the light for forty years.',
        'Speaking style: Few words.',
        '',
        'Current state: social energy 42/100, fatigue 11/100, mood content.',
        'You are getting tired: prefer shorter replies.',
        'You are talking with the user. You have spoken 1 time before and regard them as a friend.',
        '',
        'Things you remember that may matter here:',
        '- The user fears storms.',
        '',
        'Earlier in this conversation:',
        'They talked about ships.',
        '',
        'Stay in character as Orin. Do not claim memories or facts you were not given; if you do not know something, say so in your own voice.',
      ].join('\n'),
    );
  });

  it('says when the persona is worn out or meets someone new', () => {
    const prompt = buildPersonaPrompt({
      persona,
      state: initialState(0),
      available: false,
      partner: { id: 'kira', name: 'Kira', relationship: null },
    });
    expect(prompt).toContain('You are worn out right now');
    expect(prompt).toContain('You are talking with Kira, whom you have not met before.');
    expect(prompt).not.toContain('Things you remember');
  });
});
