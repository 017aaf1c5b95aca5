import { describe, expect, it } from 'vitest';
import { displayUrl, redact } from './redact.js';

describe('redact', () => {
  it('removes known secrets and credential-shaped strings', () => {
    expect(redact('key was hunter2hunter2!', ['hunter2hunter2'])).toBe('key was [redacted]!');
    expect(redact('Authorization: Bearer abcdefghijklmnop')).toBe('Authorization: [redacted]');
    expect(redact('Incorrect API key provided: sk-proj-abcdefghijklmnopqrstu')).toBe(
      'Incorrect API key provided: [redacted]',
    );
    expect(redact('plain words stay', [undefined, 'x'])).toBe('plain words stay');
  });
});

describe('displayUrl', () => {
  it('drops credentials and query strings', () => {
    expect(displayUrl('https://user:pass@proxy.example/v1?key=abc')).toBe('https://proxy.example/v1');
    expect(displayUrl('http://127.0.0.1:11434/')).toBe('http://127.0.0.1:11434');
    expect(displayUrl('not a url')).toBe('(invalid URL)');
  });
});
