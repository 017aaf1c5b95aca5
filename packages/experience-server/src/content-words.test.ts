import { createHashEmbedder, type Embedder } from '@choir/llm';
import { describe, expect, it } from 'vitest';
import { contentWordsOf, forMemory } from './content-words.js';

describe('content words for the built-in embedder', () => {
  it('drops stopwords and punctuation, keeping the text when nothing else is left', () => {
    expect(contentWordsOf('How high should my bike seat be?')).toBe('high bike seat');
    expect(contentWordsOf("It's Anna's")).toBe('anna');
    expect(contentWordsOf('What is it?')).toBe('What is it?');
    expect(contentWordsOf('Москва и Токио')).toBe('москва и токио');
  });

  it('wraps only the built-in embedder, under its own name', async () => {
    const hash = createHashEmbedder({ dimension: 16 });
    const wrapped = forMemory(hash);
    expect(wrapped.name).toBe('choir-hash-v1+content-words');
    expect(wrapped.dimension).toBe(16);
    expect(await wrapped.embed(['how high is the seat'])).toEqual(await hash.embed(['high seat']));
    const provider: Embedder = { name: 'ollama:nomic', dimension: 3, embed: async () => [] };
    expect(forMemory(provider)).toBe(provider);
  });
});
