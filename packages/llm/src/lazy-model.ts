/**
 * Models and embedders that load their SDK on first use. The provider SDKs and their
 * dependencies cost a server ~100 MB and over a second at start-up; a server that never calls a
 * model (no provider configured, or sampling answers) should not pay for them.
 */
import type { Embedder, LanguageModel, ProviderName, TextStream } from './types.js';

export function lazyModel(
  provider: ProviderName,
  model: string,
  load: () => Promise<LanguageModel>,
): LanguageModel {
  let loading: Promise<LanguageModel> | undefined;
  const get = () => {
    loading ??= load();
    return loading;
  };
  return {
    provider,
    model,
    async generateText(request) {
      return (await get()).generateText(request);
    },
    streamText(request): TextStream {
      const inner = get().then((m) => m.streamText(request));
      const result = inner.then((stream) => stream.result);
      // The caller may read only the stream; its failure must not also surface as unhandled here.
      result.catch(() => {});
      return {
        textStream: (async function* () {
          yield* (await inner).textStream;
        })(),
        result,
      };
    },
  };
}

export function lazyEmbedder(name: string, knownDimension: number, load: () => Promise<Embedder>): Embedder {
  let loaded: Embedder | undefined;
  let loading: Promise<Embedder> | undefined;
  const get = async () => {
    loading ??= load().then((embedder) => {
      loaded = embedder;
      return embedder;
    });
    return loading;
  };
  return {
    name,
    get dimension() {
      return loaded?.dimension ?? knownDimension;
    },
    async embed(texts, signal) {
      return (await get()).embed(texts, signal);
    },
    async ready(signal) {
      await (await get()).ready?.(signal);
    },
  };
}
