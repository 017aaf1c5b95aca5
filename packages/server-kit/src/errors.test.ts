import { describe, expect, it } from 'vitest';
import { classifyError, ERROR_META_KEY, errorResult, ToolError } from './errors.js';

describe('error model', () => {
  it('keeps the code, message and hint of a ToolError', () => {
    expect(classifyError(new ToolError('NOT_FOUND', 'session s1 does not exist', 'list sessions'))).toEqual({
      code: 'NOT_FOUND',
      message: 'session s1 does not exist',
      hint: 'list sessions',
      unexpected: false,
    });
  });

  it('maps database failures to STORAGE and anything unknown to INTERNAL without leaking it', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(classifyError(busy)).toMatchObject({ code: 'STORAGE', unexpected: true });
    expect(classifyError(busy).message).toContain('SQLITE_BUSY');
    const secret = classifyError(new TypeError('cannot read x of undefined at /home/me/secret.ts:12'));
    expect(secret).toMatchObject({ code: 'INTERNAL', unexpected: true });
    expect(secret.message).not.toContain('secret');
  });

  it('maps cancellation and model errors', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(classifyError(abort).code).toBe('CANCELLED');
    const llm = Object.assign(new Error('timed out'), { name: 'LlmError', kind: 'timeout' });
    expect(classifyError(llm).code).toBe('TIMEOUT');
    const auth = Object.assign(new Error('401'), { name: 'LlmError', kind: 'auth' });
    expect(classifyError(auth).code).toBe('MODEL_UNAVAILABLE');
  });

  it('renders an isError result with the code first and in _meta, without structuredContent', () => {
    const result = errorResult({ code: 'CONFLICT', message: 'built-in persona', hint: 'copy it' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(result.content).toEqual([{ type: 'text', text: 'CONFLICT: built-in persona\nHint: copy it' }]);
    expect(result._meta?.[ERROR_META_KEY]).toEqual({
      code: 'CONFLICT',
      message: 'built-in persona',
      hint: 'copy it',
    });
  });
});
