import { describe, expect, it } from 'vitest';
import { ACTION_DEFAULTS, loadActionConfig } from './config.js';

describe('loadActionConfig', () => {
  it('uses defaults and reads overrides', () => {
    expect(loadActionConfig({})).toEqual(ACTION_DEFAULTS);
    expect(loadActionConfig({ ACTION_YIELD_MAX_TOKENS: ' 2000 ' }).yieldMaxTokens).toBe(2000);
  });

  it('refuses malformed values by name', () => {
    expect(() => loadActionConfig({ ACTION_RESPOND_MAX_TOKENS: '0' })).toThrow(/ACTION_RESPOND_MAX_TOKENS/);
    expect(() => loadActionConfig({ ACTION_ELICITATION_TIMEOUT_MS: '5s' })).toThrow(/got "5s"/);
  });
});
