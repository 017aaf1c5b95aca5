/**
 * Builds a TextStream from a function that produces deltas. The producer runs at once, whether
 * or not anyone iterates `textStream`, so awaiting `result` alone is enough; deltas wait in a
 * queue for a reader that is slower than the network.
 */
import type { LlmError, TextResult, TextStream } from './types.js';

export type TextProducer = (emit: (delta: string) => void) => Promise<Omit<TextResult, 'text'>>;

export function createTextStream(produce: TextProducer, toError: (error: unknown) => LlmError): TextStream {
  const queue: string[] = [];
  let finished = false;
  let failure: LlmError | undefined;
  let wake: (() => void) | undefined;
  let text = '';

  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };

  const result = (async (): Promise<TextResult> => {
    try {
      const meta = await produce((delta) => {
        if (!delta) return;
        text += delta;
        queue.push(delta);
        notify();
      });
      return { ...meta, text };
    } catch (error) {
      failure = toError(error);
      throw failure;
    } finally {
      finished = true;
      notify();
    }
  })();
  // Whoever reads only `textStream` sees the error there; this stops it also surfacing as an
  // unhandled rejection. Awaiting `result` still rejects.
  result.catch(() => {});

  async function* deltas(): AsyncGenerator<string> {
    let next = 0;
    for (;;) {
      if (next < queue.length) {
        yield queue[next++]!;
        continue;
      }
      if (finished) {
        if (failure) throw failure;
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }

  return { textStream: deltas(), result };
}
