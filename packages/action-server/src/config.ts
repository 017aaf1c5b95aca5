/** The action server's own settings, from its environment (the shared ones live in server-kit). */
import type { Env } from '@choir/server-kit';

export interface ActionConfig {
  /** ACTION_RESPOND_MAX_TOKENS: length cap of the quick first answer. */
  respondMaxTokens: number;
  /** ACTION_YIELD_MAX_TOKENS: length cap of the final answer. */
  yieldMaxTokens: number;
  /** ACTION_ELICITATION_TIMEOUT_MS: how long action_followup waits for the user to answer. */
  elicitationTimeoutMs: number;
}

export const ACTION_DEFAULTS: ActionConfig = {
  respondMaxTokens: 400,
  yieldMaxTokens: 1_200,
  elicitationTimeoutMs: 600_000,
};

/** A malformed value stops start-up with the variable's name, rather than a silent default. */
export function loadActionConfig(env: Env): ActionConfig {
  return {
    respondMaxTokens: positiveInt(env, 'ACTION_RESPOND_MAX_TOKENS', ACTION_DEFAULTS.respondMaxTokens),
    yieldMaxTokens: positiveInt(env, 'ACTION_YIELD_MAX_TOKENS', ACTION_DEFAULTS.yieldMaxTokens),
    elicitationTimeoutMs: positiveInt(
      env,
      'ACTION_ELICITATION_TIMEOUT_MS',
      ACTION_DEFAULTS.elicitationTimeoutMs,
    ),
  };
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^[1-9]\d{0,8}$/.test(raw))
    throw new Error(`${name} must be a positive whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}
