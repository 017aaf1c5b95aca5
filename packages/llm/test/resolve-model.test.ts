import { describe, expect, it } from 'vitest';
import { describeModel, type Env, LlmError, readModelConfig, resolveModel } from '../src/index.js';

const KEY = 'sk-ant-test-SECRET-0123456789abcdef';

function config(env: Env) {
  const c = readModelConfig(env);
  if (!c) throw new Error('expected a model config');
  return c;
}

describe('resolveModel: explicit CHOIR_MODEL', () => {
  it.each([
    ['openai:gpt-4.1', { OPENAI_API_KEY: KEY }, 'openai-compatible', 'gpt-4.1', 'https://api.openai.com/v1'],
    [
      'openai-compatible:qwen2.5',
      { OPENAI_BASE_URL: 'http://gpu:8000/v1/' },
      'openai-compatible',
      'qwen2.5',
      'http://gpu:8000/v1',
    ],
    [
      'groq:llama-3.3-70b',
      { GROQ_API_KEY: KEY },
      'openai-compatible',
      'llama-3.3-70b',
      'https://api.groq.com/openai/v1',
    ],
    [
      'openrouter:meta-llama/llama-3:free',
      { OPENROUTER_API_KEY: KEY },
      'openai-compatible',
      'meta-llama/llama-3:free',
      'https://openrouter.ai/api/v1',
    ],
    ['lmstudio:qwen', {}, 'openai-compatible', 'qwen', 'http://127.0.0.1:1234/v1'],
    [
      'vllm:mistral',
      { VLLM_BASE_URL: 'http://gpu:9000/v1' },
      'openai-compatible',
      'mistral',
      'http://gpu:9000/v1',
    ],
    ['llamacpp:local', {}, 'openai-compatible', 'local', 'http://127.0.0.1:8080/v1'],
    [
      'anthropic:claude-haiku-4-5',
      { ANTHROPIC_API_KEY: KEY },
      'anthropic',
      'claude-haiku-4-5',
      'https://api.anthropic.com/v1',
    ],
    ['ollama:llama3.2:3b', {}, 'ollama', 'llama3.2:3b', 'http://127.0.0.1:11434'],
    ['langbase:my-pipe', { LANGBASE_API_KEY: KEY }, 'langbase', 'my-pipe', 'https://api.langbase.com'],
  ] as const)('%s', (choice, extra, provider, model, baseURL) => {
    const env: Env = { CHOIR_MODEL: choice, ...extra };
    expect(config(env)).toMatchObject({ provider, model, baseURL, source: 'CHOIR_MODEL' });
    const resolved = resolveModel(env);
    expect(resolved.model?.provider).toBe(provider);
    expect(resolved.model?.model).toBe(model);
    expect(resolved.description).toContain(`${provider}:${model}`);
    expect(resolved.description).toContain('(from CHOIR_MODEL)');
  });

  it('says which alias and which override were used', () => {
    expect(describeModel({ CHOIR_MODEL: 'groq:llama-3.3-70b', GROQ_API_KEY: KEY })).toBe(
      'openai-compatible:llama-3.3-70b via groq (from CHOIR_MODEL)',
    );
    expect(describeModel({ CHOIR_MODEL: 'ollama:qwen3', OLLAMA_HOST: '0.0.0.0:11434' })).toBe(
      'ollama:qwen3 at http://127.0.0.1:11434 (from CHOIR_MODEL)',
    );
  });

  it('takes the provider default model when CHOIR_MODEL names only a provider', () => {
    expect(config({ CHOIR_MODEL: 'anthropic', ANTHROPIC_API_KEY: KEY }).model).toBe('claude-sonnet-4-5');
    expect(config({ CHOIR_MODEL: 'ollama', OLLAMA_MODEL: 'qwen3' }).model).toBe('qwen3');
  });

  it('refuses an unknown provider as a config error', () => {
    const attempt = () => resolveModel({ CHOIR_MODEL: 'gemini:pro', ANTHROPIC_API_KEY: KEY });
    expect(attempt).toThrow(LlmError);
    expect(attempt).toThrow(/unknown provider "gemini"/);
    try {
      attempt();
    } catch (error) {
      expect((error as LlmError).kind).toBe('config');
    }
    expect(describeModel({ CHOIR_MODEL: 'gemini:pro' })).toMatch(/^invalid: /);
  });

  it('refuses a hosted provider without its key, and never borrows another vendor’s key', () => {
    expect(() => resolveModel({ CHOIR_MODEL: 'anthropic:claude' })).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => resolveModel({ CHOIR_MODEL: 'groq:llama', OPENAI_API_KEY: KEY })).toThrow(/GROQ_API_KEY/);
    expect(() => resolveModel({ CHOIR_MODEL: 'langbase:pipe' })).toThrow(/LANGBASE_API_KEY/);
    expect(() => resolveModel({ CHOIR_MODEL: 'groq', GROQ_API_KEY: KEY })).toThrow(/needs a model/);
  });

  it('lets CHOIR_MODEL=none switch model use off even with keys present', () => {
    const choice = resolveModel({ CHOIR_MODEL: 'none', ANTHROPIC_API_KEY: KEY });
    expect(choice.model).toBeNull();
    expect(choice.description).toBe('none: disabled by CHOIR_MODEL=none');
  });
});

describe('resolveModel: detection from the environment', () => {
  it('chooses nothing, and says how to fix it, when nothing is configured', () => {
    expect(resolveModel({})).toEqual({
      model: null,
      description: 'none: no model configured — set CHOIR_MODEL or an API key',
    });
  });

  it.each([
    [{ ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: KEY }, 'anthropic:claude-sonnet-4-5 (from ANTHROPIC_API_KEY)'],
    [
      { ANTHROPIC_API_KEY: KEY, ANTHROPIC_MODEL: 'claude-opus-4-1' },
      'anthropic:claude-opus-4-1 (from ANTHROPIC_API_KEY)',
    ],
    [
      { OPENAI_API_KEY: KEY, OLLAMA_HOST: 'localhost' },
      'openai-compatible:gpt-4o-mini (from OPENAI_API_KEY)',
    ],
    [
      { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3.2' },
      'openai-compatible:llama3.2 at http://127.0.0.1:11434/v1 (from OPENAI_BASE_URL)',
    ],
    [
      { OLLAMA_HOST: 'localhost:11434', LANGBASE_API_KEY: KEY },
      'ollama:llama3.2 at http://localhost:11434 (from OLLAMA_HOST)',
    ],
    [{ LANGBASE_API_KEY: KEY }, 'langbase:choir (from LANGBASE_API_KEY)'],
    [
      { LANGBASE_API_KEY: KEY, LANGBASE_PIPE: 'reasoner', PIPE_LINEAR: 'lin', PIPE_TREE: 'tree' },
      'langbase:reasoner (+2 PIPE_* overrides) (from LANGBASE_API_KEY)',
    ],
  ] as const)('%o → %s', (env, description) => {
    const choice = resolveModel(env);
    expect(choice.description).toBe(description);
    expect(choice.model).not.toBeNull();
  });

  it('reads base-URL overrides', () => {
    expect(config({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: 'http://proxy:8080' }).baseURL).toBe(
      'http://proxy:8080/v1',
    );
    expect(config({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: 'http://proxy:8080/v1/' }).baseURL).toBe(
      'http://proxy:8080/v1',
    );
    expect(config({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'https://proxy.example/v1' }).baseURL).toBe(
      'https://proxy.example/v1',
    );
    expect(config({ OLLAMA_HOST: 'https://ollama.example:443/' }).baseURL).toBe('https://ollama.example:443');
    expect(config({ LANGBASE_API_KEY: KEY, LANGBASE_BASE_URL: 'https://eu-api.langbase.com' }).baseURL).toBe(
      'https://eu-api.langbase.com',
    );
  });

  it('collects PIPE_<PURPOSE> overrides for langbase', () => {
    expect(
      config({ LANGBASE_API_KEY: KEY, PIPE_LINEAR: 'a', PIPE_GOT: 'b', PIPE_: 'x', PIPE_AUTO: ' ' }).pipes,
    ).toEqual({
      linear: 'a',
      got: 'b',
    });
  });

  it('reads REQUEST_TIMEOUT_MS and MAX_RETRIES, and rejects nonsense', () => {
    expect(config({ OLLAMA_HOST: 'x' })).toMatchObject({ timeoutMs: 30_000, maxRetries: 3 });
    expect(config({ OLLAMA_HOST: 'x', REQUEST_TIMEOUT_MS: '5000', MAX_RETRIES: '0' })).toMatchObject({
      timeoutMs: 5000,
      maxRetries: 0,
    });
    expect(() => readModelConfig({ OLLAMA_HOST: 'x', REQUEST_TIMEOUT_MS: '-1' })).toThrow(
      /REQUEST_TIMEOUT_MS/,
    );
    expect(() => readModelConfig({ OLLAMA_HOST: 'x', MAX_RETRIES: 'lots' })).toThrow(/MAX_RETRIES/);
  });

  it('never puts an API key in a description', () => {
    const envs: Env[] = [
      { ANTHROPIC_API_KEY: KEY },
      { OPENAI_API_KEY: KEY },
      { LANGBASE_API_KEY: KEY, PIPE_LINEAR: 'x' },
      { CHOIR_MODEL: 'groq:m', GROQ_API_KEY: KEY },
      { OPENAI_BASE_URL: `https://user:${KEY}@proxy.example/v1?key=${KEY}` },
    ];
    for (const env of envs) {
      expect(resolveModel(env).description).not.toContain(KEY);
      expect(JSON.stringify(resolveModel(env).description)).not.toContain('0123456789abcdef');
    }
  });
});
