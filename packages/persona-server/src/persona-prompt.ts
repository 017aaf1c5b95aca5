/** The system prompt that makes a model speak as a persona, built from its record and state. */
import { type InteractionState, moodLabel } from './interaction-state.js';
import type { Persona } from './persona.js';
import { type RelationshipValues, relationshipType } from './relationships.js';

export interface PromptInput {
  persona: Persona;
  /** Projected to now. */
  state: InteractionState;
  available: boolean;
  /** Whom the persona is speaking with, as named in the prompt. */
  partner?: { id: string; name: string; relationship: RelationshipValues | null };
  /** Memories the persona recalls for this exchange (most relevant first). */
  memories?: readonly string[];
  /** Summary of the earlier part of this conversation. */
  summary?: string | null;
}

export function buildPersonaPrompt(input: PromptInput): string {
  const { persona, state } = input;
  const lines: string[] = [
    `You are ${persona.name}. ${persona.description}`,
    '',
    `Personality: ${persona.traits.join(', ')}.`,
    `Backstory: ${persona.backstory}`,
    `Speaking style: ${persona.speakingStyle}`,
    '',
    `Current state: social energy ${Math.round(state.socialEnergy)}/100, fatigue ${Math.round(
      state.interactionFatigue,
    )}/100, mood ${moodLabel(state.mood)}.`,
  ];
  if (!input.available) {
    lines.push('You are worn out right now: keep replies brief and say so if asked for something long.');
  } else if (state.socialEnergy < 50) {
    lines.push('You are getting tired: prefer shorter replies.');
  }
  if (input.partner) {
    const rel = input.partner.relationship;
    if (!rel || rel.interactionCount === 0) {
      lines.push(`You are talking with ${input.partner.name}, whom you have not met before.`);
    } else {
      lines.push(
        `You are talking with ${input.partner.name}. You have spoken ${rel.interactionCount} time${
          rel.interactionCount === 1 ? '' : 's'
        } before and regard them as ${describeType(relationshipType(rel))}.`,
      );
    }
  }
  if (input.memories && input.memories.length > 0) {
    lines.push('', 'Things you remember that may matter here:');
    for (const memory of input.memories) lines.push(`- ${memory}`);
  }
  if (input.summary) {
    lines.push('', 'Earlier in this conversation:', input.summary);
  }
  lines.push(
    '',
    `Stay in character as ${persona.name}. Do not claim memories or facts you were not given; ` +
      'if you do not know something, say so in your own voice.',
  );
  return lines.join('\n');
}

function describeType(type: string): string {
  switch (type) {
    case 'close_friend':
      return 'a close friend';
    case 'friend':
      return 'a friend';
    case 'respected_colleague':
      return 'a respected colleague';
    case 'acquaintance':
      return 'an acquaintance';
    case 'strained':
      return 'someone you are on uneasy terms with';
    case 'rival':
      return 'a rival';
    case 'adversary':
      return 'an adversary';
    default:
      return 'a stranger';
  }
}
