import { describe, expect, it } from 'vitest';
import { lazyEmbedder, lazyModel } from './lazy-model.js';
import { type Embedder, type LanguageModel, LlmError } from './types.js';

const inner: LanguageModel = {
  provider: 'ollama',
  model: 'm',
  async generateText() {
    return { text: 'hello', model: 'm' };
  },
  streamText() {
    return {
      textStream: (async function* () {
        yield 'a';
        yield 'b';
      })(),
      result: Promise.resolve({ text: 'ab', model: 'm' }),
    };
  },
};

describe('lazyModel', () => {
  it('loads once, on first use, and passes calls through', async () => {
    let loads = 0;
    const model = lazyModel('ollama', 'm', async () => {
      loads++;
      return inner;
    });
    expect(loads).toBe(0);
    expect((await model.generateText({ messages: [] })).text).toBe('hello');
    const stream = model.streamText({ messages: [] });
    const deltas: string[] = [];
    for await (const d of stream.textStream) deltas.push(d);
    expect(deltas).toEqual(['a', 'b']);
    expect((await stream.result).text).toBe('ab');
    expect(loads).toBe(1);
  });

  it('reports a failed load through the stream and the result', async () => {
    const model = lazyModel('ollama', 'm', async () => {
      throw new LlmError('config', 'cannot load');
    });
    const stream = model.streamText({ messages: [] });
    await expect(stream.result).rejects.toThrow('cannot load');
    await expect(stream.textStream[Symbol.asyncIterator]().next()).rejects.toThrow('cannot load');
  });
});

describe('lazyEmbedder', () => {
  it('reports the known dimension before loading and the learned one after', async () => {
    const loaded: Embedder = { name: 'x', dimension: 3, embed: async () => [Float32Array.from([1, 0, 0])] };
    const embedder = lazyEmbedder('ollama:x', 0, async () => loaded);
    expect(embedder.dimension).toBe(0);
    expect(await embedder.embed(['t'])).toHaveLength(1);
    expect(embedder.dimension).toBe(3);
  });
});
