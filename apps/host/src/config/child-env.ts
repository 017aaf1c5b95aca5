/**
 * The environment a server child gets. An allow-list, not a block-list: provider keys and
 * model settings stay with the host, so servers ask the host for text through MCP sampling
 * instead of calling a provider on their own (one model, one bill, one place to configure).
 */
export type Env = Record<string, string | undefined>;

/** Passed through when set: the system basics, logging, and where data lives. */
const PASS_THROUGH = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'LANG',
  'TMPDIR',
  'TZ',
  'LOG_LEVEL',
  'SYSTEMROOT',
  'APPDATA',
  'LOCALAPPDATA',
  'USERPROFILE',
  'XDG_DATA_HOME',
  // Storage location: remote libSQL is a storage choice, not a model one.
  'DATABASE_URL',
  'DATABASE_AUTH_TOKEN',
  'DATABASE_PATH',
  // The embedder is part of the experience store's identity; the built-in one needs no key.
  'CHOIR_EMBEDDING',
  'CHOIR_EMBEDDING_DIM',
];

const PASS_THROUGH_PREFIXES = ['CHOIR_DATABASE_URL_'];

/**
 * Never passed, even when a server entry's own env would add them from the host's environment:
 * every variable that selects or pays for a model. (A server entry may still set one explicitly
 * in choir.config.json; that is the user's deliberate choice.)
 */
export const STRIPPED_MODEL_VARS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_MODEL',
  'OLLAMA_HOST',
  'LANGBASE_API_KEY',
  'CHOIR_MODEL',
  'GROQ_API_KEY',
  'OPENROUTER_API_KEY',
];

export function childEnv(
  hostEnv: Env,
  options: { dataDir: string; logLevel?: string; extra?: Record<string, string> },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(hostEnv)) {
    if (value === undefined) continue;
    if (PASS_THROUGH.includes(name) || PASS_THROUGH_PREFIXES.some((p) => name.startsWith(p)))
      env[name] = value;
  }
  env.CHOIR_DATA_DIR = options.dataDir;
  env.LOG_LEVEL = options.logLevel ?? hostEnv.LOG_LEVEL ?? 'info';
  return { ...env, ...(options.extra ?? {}) };
}
