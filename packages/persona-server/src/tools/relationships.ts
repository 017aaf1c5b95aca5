/** persona_relationship_get and persona_relationship_list. */
import { defineTool, type ToolSpec } from '@choir/server-kit';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { resolvePartner } from '../partners.js';
import { requirePersona, type Runtime } from '../runtime.js';
import { listRelationships, relationshipOrNew } from '../store/relationships.js';
import {
  annotations,
  cursorInput,
  limitInput,
  partnerRef,
  personaRef,
  relationshipShape,
  toRelationshipShape,
} from './shapes.js';

export function relationshipTools(rt: Runtime): ToolSpec[] {
  const get = defineTool({
    name: 'persona_relationship_get',
    title: 'Get a relationship',
    description:
      'How a persona regards someone (default the user): affinity, trust, respect, intimacy, interaction count and the relationship type they add up to. A pair that never interacted reads as a stranger with starting values.',
    input: z.object({ persona: personaRef, with: partnerRef.default('user') }),
    output: z.object({ relationship: relationshipShape, exists: z.boolean() }),
    annotations: annotations.read,
    async handler(args) {
      const persona = await requirePersona(rt.db, args.persona);
      const partner = await resolvePartner(rt.db, args.with, persona);
      const found = await relationshipOrNew(rt.db, persona.id, partner.id);
      const relationship = toRelationshipShape(persona.id, partner.id, found, found.lastInteraction);
      return {
        text: `${persona.name} → ${partner.name}: ${relationship.type} (affinity ${relationship.affinity}, trust ${relationship.trust}, respect ${relationship.respect}, intimacy ${relationship.intimacy}, ${relationship.interaction_count} interactions).`,
        data: { relationship, exists: found.createdAt !== null },
      };
    },
  });

  const isAfter = (v: Record<string, unknown>): v is { after: string } => typeof v.after === 'string';
  const list = defineTool({
    name: 'persona_relationship_list',
    title: 'List relationships',
    description: 'Everyone a persona has interacted with, with the relationship values and type; paginated.',
    input: z.object({ persona: personaRef, cursor: cursorInput, limit: limitInput(20, 100) }),
    output: z.object({ relationships: z.array(relationshipShape), next_cursor: z.string().nullable() }),
    annotations: annotations.read,
    async handler(args) {
      const persona = await requirePersona(rt.db, args.persona);
      const after = args.cursor ? decodeCursor(args.cursor, isAfter).after : null;
      const rows = await listRelationships(rt.db, persona.id, after, args.limit + 1);
      const shown = rows.slice(0, args.limit);
      const relationships = shown.map((r) =>
        toRelationshipShape(persona.id, r.otherId, r, r.lastInteraction),
      );
      const next =
        rows.length > args.limit ? encodeCursor({ after: shown[shown.length - 1]!.otherId }) : null;
      return {
        text:
          relationships.map((r) => `${r.with}: ${r.type} (${r.interaction_count} interactions)`).join('\n') ||
          `${persona.name} has no relationships yet.`,
        data: { relationships, next_cursor: next },
      };
    },
  });

  return [get, list];
}
