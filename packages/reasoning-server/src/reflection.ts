/** The reflect loop: critique and improve until the quality threshold or the iteration bound. */

export interface ReflectionStep {
  critique: string;
  improved: string;
  /** 0..1, the critic's judgement of `improved`. */
  quality: number;
}

export interface ReflectionRound extends ReflectionStep {
  iteration: number;
}

export type ReflectionStop = 'threshold' | 'max_iterations' | 'no_change';

export interface ReflectionOutcome {
  /** The round with the highest quality (the later one on a tie): quality can drop between rounds. */
  best: ReflectionRound;
  rounds: ReflectionRound[];
  stop: ReflectionStop;
}

export interface ReflectionOptions {
  maxIterations: number;
  qualityThreshold: number;
}

/**
 * Runs `step` on the text, then on each improvement, stopping when a round reaches the
 * threshold, when a round returns its input unchanged (no further progress is possible), or
 * after maxIterations rounds.
 */
export async function reflectUntil(
  text: string,
  step: (text: string, iteration: number) => Promise<ReflectionStep>,
  options: ReflectionOptions,
): Promise<ReflectionOutcome> {
  const rounds: ReflectionRound[] = [];
  let current = text;
  let stop: ReflectionStop = 'max_iterations';
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    const result = await step(current, iteration);
    rounds.push({ ...result, iteration });
    if (result.quality >= options.qualityThreshold) {
      stop = 'threshold';
      break;
    }
    if (result.improved.trim() === current.trim()) {
      stop = 'no_change';
      break;
    }
    current = result.improved;
  }
  const best = rounds.reduce((a, b) => (b.quality >= a.quality ? b : a));
  return { best, rounds, stop };
}
