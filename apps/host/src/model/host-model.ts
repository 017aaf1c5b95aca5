/** The host's own model: what answers the servers' sampling requests. */
import type { LanguageModel } from '@choir/llm';
import type { HostConfig } from '../config/config.js';

export interface HostModel {
  model: LanguageModel | null;
  /** e.g. `openai-compatible:gpt-4o-mini (from OPENAI_API_KEY)` or `none: …`. */
  description: string;
  /** Set when the configuration names a model that cannot work. */
  error?: string;
}

export const CONFIGURE_MODEL_HINT = [
  'To use a model, set CHOIR_MODEL=<provider>:<model> with its key, for example',
  '  CHOIR_MODEL=anthropic:claude-sonnet-4-5 ANTHROPIC_API_KEY=…',
  '  OPENAI_API_KEY=… [OPENAI_BASE_URL=…]    (OpenAI, Groq, OpenRouter, vLLM, LM Studio, llama.cpp)',
  '  OLLAMA_HOST=127.0.0.1:11434',
  'or put "model" in choir.config.json; `choir doctor` checks that it answers.',
].join('\n');

/** The environment @choir/llm reads, with the config file's model when CHOIR_MODEL is not set. */
export function modelEnv(
  config: HostConfig,
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return config.model && !env.CHOIR_MODEL?.trim() ? { ...env, CHOIR_MODEL: config.model } : env;
}

/**
 * Loaded on demand: @choir/llm brings every provider SDK with it, which commands that never
 * call a model (help, mcp-config, history, personas) should not pay for.
 */
export async function resolveHostModel(
  config: HostConfig,
  env: Record<string, string | undefined> = process.env,
): Promise<HostModel> {
  const { resolveModel } = await import('@choir/llm');
  try {
    const choice = resolveModel(modelEnv(config, env));
    return { model: choice.model, description: choice.description };
  } catch (error) {
    const message = (error as Error).message;
    return { model: null, description: `invalid: ${message}`, error: message };
  }
}

/** For commands that run servers without sampling (history, personas, servers, doctor's server check). */
export const NO_MODEL: HostModel = { model: null, description: 'none: not used by this command' };
