/** The chat-history server's own settings, from the environment. */
import {
  DEFAULT_RETENTION,
  RETENTION_POLICIES,
  type RetentionPolicy,
  type RetentionPolicyName,
} from './retention.js';

export type Env = Record<string, string | undefined>;

export interface HistoryConfig {
  retention: RetentionPolicy;
  /** false: CHAT_HISTORY_PERSISTENCE=off, an in-memory database that keeps nothing between runs. */
  persistent: boolean;
}

export const ENV = {
  retention: 'CHAT_HISTORY_RETENTION',
  maxTokens: 'CHAT_HISTORY_MAX_TOKENS',
  maxMessages: 'CHAT_HISTORY_MAX_MESSAGES',
  maxAgeDays: 'CHAT_HISTORY_MAX_AGE_DAYS',
  preserveRecent: 'CHAT_HISTORY_PRESERVE_RECENT',
  persistence: 'CHAT_HISTORY_PERSISTENCE',
} as const;

function wholeNumber(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** Reads the settings; a malformed value is an error naming the variable, never a silent default. */
export function loadHistoryConfig(env: Env): HistoryConfig {
  const policy = (env[ENV.retention]?.trim().toLowerCase() ||
    DEFAULT_RETENTION.policy) as RetentionPolicyName;
  if (!RETENTION_POLICIES.includes(policy)) {
    throw new Error(
      `${ENV.retention} must be one of ${RETENTION_POLICIES.join(', ')}, got ${JSON.stringify(policy)}`,
    );
  }
  const persistence = env[ENV.persistence]?.trim().toLowerCase() || 'on';
  if (persistence !== 'on' && persistence !== 'off') {
    throw new Error(`${ENV.persistence} must be "on" or "off", got ${JSON.stringify(persistence)}`);
  }
  return {
    retention: {
      policy,
      maxTokens: wholeNumber(env, ENV.maxTokens, DEFAULT_RETENTION.maxTokens, 1),
      maxMessages: wholeNumber(env, ENV.maxMessages, DEFAULT_RETENTION.maxMessages, 1),
      maxAgeDays: wholeNumber(env, ENV.maxAgeDays, DEFAULT_RETENTION.maxAgeDays, 1),
      preserveRecent: wholeNumber(env, ENV.preserveRecent, DEFAULT_RETENTION.preserveRecent, 0),
    },
    persistent: persistence === 'on',
  };
}
