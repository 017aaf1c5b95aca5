/** persona_status and persona_record_interaction. */
import { defineTool, type ToolSpec } from '@choir/server-kit';
import { z } from 'zod';
import { recordInteraction } from '../interactions.js';
import { resolvePartner } from '../partners.js';
import { currentState, requirePersona, type Runtime, statusView } from '../runtime.js';
import { iso } from '../store/time.js';
import {
  annotations,
  partnerRef,
  personaRef,
  relationshipShape,
  statusShape,
  toRelationshipShape,
  toStatusShape,
} from './shapes.js';

export function stateTools(rt: Runtime): ToolSpec[] {
  const status = defineTool({
    name: 'persona_status',
    title: 'Persona status',
    description:
      'Interaction and emotional state now: social energy and daily time recovered since the last interaction, fatigue and mood faded, and whether the persona is available.',
    input: z.object({ persona: personaRef }),
    output: statusShape,
    annotations: annotations.read,
    async handler(args) {
      const persona = await requirePersona(rt.db, args.persona);
      const view = statusView(persona, await currentState(rt.db, persona.id, rt.now()));
      return {
        text:
          `${persona.name}: energy ${view.social_energy.toFixed(1)}/100, fatigue ${view.interaction_fatigue.toFixed(1)}/100, ` +
          `${view.available_time.toFixed(0)} min left today, mood ${view.mood_label}, priority ${view.current_priority}. ` +
          (view.available
            ? 'Available.'
            : `Unavailable (${view.unavailable_reason}); available again in ${view.available_in_hours.toFixed(1)} h.`),
        data: toStatusShape(view),
      };
    },
  });

  const record = defineTool({
    name: 'persona_record_interaction',
    title: 'Record an interaction',
    description:
      'Records that a persona interacted with someone (default the user): spends energy and time, adds fatigue, moves mood, and updates the relationship by quality. With another persona, both sides are updated.',
    input: z.object({
      persona: personaRef,
      with: partnerRef.default('user'),
      quality: z.number().min(0).max(1).describe('0..1: how well the interaction went'),
      duration_seconds: z.number().min(0).max(86_400).default(0),
    }),
    output: z.object({
      persona_id: z.string(),
      with: z.string(),
      with_kind: z.enum(['user', 'persona', 'party']),
      status: statusShape,
      relationship: relationshipShape,
      partner_status: statusShape.nullable().describe('the other persona, when the interaction was with one'),
    }),
    annotations: annotations.write,
    async handler(args) {
      const persona = await requirePersona(rt.db, args.persona);
      const partner = await resolvePartner(rt.db, args.with, persona);
      const interaction = { quality: args.quality, minutes: args.duration_seconds / 60 };
      const now = rt.now();
      const { mine, theirs } = await rt.db.transaction().execute(async (trx) => {
        const mine = await recordInteraction(trx, persona.id, partner.id, interaction, now);
        const theirs = partner.persona
          ? await recordInteraction(trx, partner.persona.id, persona.id, interaction, now)
          : null;
        return { mine, theirs };
      });
      const view = statusView(persona, mine.state);
      const relationship = toRelationshipShape(persona.id, partner.id, mine.relationship, iso(now));
      return {
        text:
          `${persona.name} and ${partner.name}: ${relationship.type} after ${relationship.interaction_count} interaction(s). ` +
          `${persona.name}'s energy ${view.social_energy.toFixed(1)}/100, fatigue ${view.interaction_fatigue.toFixed(1)}/100` +
          (view.available ? '.' : `; unavailable (${view.unavailable_reason}).`),
        data: {
          persona_id: persona.id,
          with: partner.id,
          with_kind: partner.kind,
          status: toStatusShape(view),
          relationship,
          partner_status:
            theirs && partner.persona ? toStatusShape(statusView(partner.persona, theirs.state)) : null,
        },
      };
    },
  });

  return [status, record];
}
