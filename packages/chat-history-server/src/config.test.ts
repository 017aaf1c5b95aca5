import { describe, expect, it } from 'vitest';
import { loadHistoryConfig } from './config.js';

describe('loadHistoryConfig', () => {
  it('defaults to unlimited (limits 8000 tokens / 100 messages / 30 days ready), persistent', () => {
    expect(loadHistoryConfig({})).toEqual({
      retention: {
        policy: 'unlimited',
        maxTokens: 8000,
        maxMessages: 100,
        maxAgeDays: 30,
        preserveRecent: 10,
      },
      persistent: true,
    });
  });

  it('reads every variable', () => {
    const config = loadHistoryConfig({
      CHAT_HISTORY_RETENTION: 'Message_Count',
      CHAT_HISTORY_MAX_TOKENS: '500',
      CHAT_HISTORY_MAX_MESSAGES: '7',
      CHAT_HISTORY_MAX_AGE_DAYS: '2',
      CHAT_HISTORY_PRESERVE_RECENT: '0',
      CHAT_HISTORY_PERSISTENCE: 'off',
    });
    expect(config).toEqual({
      retention: {
        policy: 'message_count',
        maxTokens: 500,
        maxMessages: 7,
        maxAgeDays: 2,
        preserveRecent: 0,
      },
      persistent: false,
    });
  });

  it('names the variable it cannot read', () => {
    expect(() => loadHistoryConfig({ CHAT_HISTORY_RETENTION: 'forever' })).toThrow(
      /CHAT_HISTORY_RETENTION must be one of/,
    );
    expect(() => loadHistoryConfig({ CHAT_HISTORY_MAX_TOKENS: '0' })).toThrow(/CHAT_HISTORY_MAX_TOKENS/);
    expect(() => loadHistoryConfig({ CHAT_HISTORY_MAX_MESSAGES: '1e3' })).toThrow(
      /CHAT_HISTORY_MAX_MESSAGES/,
    );
    expect(() => loadHistoryConfig({ CHAT_HISTORY_PERSISTENCE: 'false' })).toThrow(/"on" or "off"/);
  });
});
