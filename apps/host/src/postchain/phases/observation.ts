/** Observation: tags for this turn and typed links to its priors (stored with the turn afterwards). */
import type { Prior } from '@choir/contracts';
import type { LinkType, ObservationLink, ObservationOutput, PhaseContext, PhaseResult } from '../types.js';
import { PhaseFailure } from '../types.js';

export interface ObservationInput {
  message: string;
  priors: Prior[];
  threadId?: string;
}

interface Observe {
  tags?: string[];
  links?: Array<{ target_id: string; type: string; weight: number }>;
  generated?: boolean;
}

const LINK_TYPES: readonly LinkType[] = ['relates', 'supports', 'contradicts', 'elaborates'];

export async function runObservation(
  input: ObservationInput,
  ctx: PhaseContext,
): Promise<PhaseResult<ObservationOutput>> {
  const result = await ctx.call<Observe>('experience_observe', {
    content: input.message,
    prior_ids: input.priors.map((p) => p.id),
    ...(input.threadId ? { thread_id: input.threadId } : {}),
  });
  if (!result.ok) throw PhaseFailure.from(result.error, 'experience_observe');
  const known = new Set(input.priors.map((p) => p.id));
  // Only links to this turn's priors are kept: they are stored with the turn's message later.
  const links: ObservationLink[] = (result.data.links ?? [])
    .filter((l) => known.has(l.target_id) && LINK_TYPES.includes(l.type as LinkType))
    .map((l) => ({ target_id: l.target_id, type: l.type as LinkType, weight: l.weight }));
  const output: ObservationOutput = {
    tags: result.data.tags ?? [],
    links,
    generated: result.data.generated === true,
  };
  const tags = output.tags.length ? output.tags.join(', ') : 'no tags';
  return {
    output,
    text: `${tags}; ${links.length} link${links.length === 1 ? '' : 's'}`,
    generated: output.generated,
  };
}
