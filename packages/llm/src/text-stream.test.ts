import { describe, expect, it } from 'vitest';
import { createTextStream } from './text-stream.js';
import { LlmError } from './types.js';

const toError = (error: unknown) => new LlmError('bad_response', String((error as Error).message));

describe('createTextStream', () => {
  it('delivers deltas in order to a slow reader and the joined text to result', async () => {
    const stream = createTextStream(async (emit) => {
      for (const d of ['a', 'b', '', 'c']) emit(d);
      return { model: 'm' };
    }, toError);
    const seen: string[] = [];
    for await (const delta of stream.textStream) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(delta);
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(await stream.result).toEqual({ model: 'm', text: 'abc' });
  });

  it('raises the same mapped error from the deltas and from result', async () => {
    const stream = createTextStream(async (emit) => {
      emit('partial');
      throw new Error('cut off');
    }, toError);
    const seen: string[] = [];
    const fromDeltas = await (async () => {
      try {
        for await (const delta of stream.textStream) seen.push(delta);
      } catch (error) {
        return error;
      }
    })();
    expect(seen).toEqual(['partial']);
    expect(fromDeltas).toBeInstanceOf(LlmError);
    await expect(stream.result).rejects.toBe(fromDeltas);
  });

  it('does not raise an unhandled rejection when only the deltas are read', async () => {
    const stream = createTextStream(async () => {
      throw new Error('boom');
    }, toError);
    await expect(
      (async () => {
        for await (const _ of stream.textStream) {
          // nothing arrives
        }
      })(),
    ).rejects.toThrow('boom');
  });
});
