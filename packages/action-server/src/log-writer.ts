/** Writes a log entry without letting a storage failure take the user's answer with it. */
import type { GenerateResult, Logger } from '@choir/server-kit';
import { type ActionStore, type LogEntryInput, recordGeneration } from './store.js';

/** The entry's id, or null when it could not be written (the failure is logged on stderr). */
export async function logGeneration(
  store: ActionStore,
  logger: Logger,
  entry: LogEntryInput,
): Promise<number | null> {
  try {
    return await recordGeneration(store, entry);
  } catch (error) {
    logger.error({ err: error, phase: entry.phase }, 'could not write the generation log');
    return null;
  }
}

/** The log fields a model's answer determines: outcome, who answered, tokens and latency. */
export function generatedFields(result: GenerateResult) {
  return {
    outcome: 'generated' as const,
    via: result.via,
    model: result.model,
    inputTokens: result.usage?.inputTokens,
    outputTokens: result.usage?.outputTokens,
    latencyMs: result.latencyMs,
  };
}
