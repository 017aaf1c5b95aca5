/**
 * One row in `invocations` per mode call that did work, whatever its outcome, for
 * reasoning_metrics. Calls refused for their input (INVALID_INPUT, NOT_FOUND, CONFLICT) did no
 * work and leave no row: a rejected call writes nothing.
 */
import { ToolError, type ToolContext, type ToolReturn } from '@choir/server-kit';
import type { ReasoningDeps } from './deps.js';
import { insertInvocation } from './store/invocations.js';

const CALLER_ERRORS = new Set(['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT']);

/** What a handler learns while it runs: who answered and for which session. */
export class Invocation {
  /** sampling | <provider name> | cache | none */
  provider = 'none';
  model: string | null = null;
  sessionId: string | null = null;

  constructor(
    readonly tool: string,
    public mode: string,
  ) {}

  /** Notes who produced a generation (the last one wins when a call generates several times). */
  answeredBy(provider: string, model: string | null): void {
    this.provider = provider;
    this.model = model;
  }
}

export function tracked<A, O>(
  deps: ReasoningDeps,
  tool: string,
  mode: string,
  handler: (args: A, ctx: ToolContext, invocation: Invocation) => Promise<ToolReturn<O>>,
): (args: A, ctx: ToolContext) => Promise<ToolReturn<O>> {
  return async (args, ctx) => {
    const invocation = new Invocation(tool, mode);
    const started = performance.now();
    let errorCode: string | null = null;
    try {
      return await handler(args, ctx, invocation);
    } catch (error) {
      errorCode = error instanceof ToolError ? error.code : 'INTERNAL';
      throw error;
    } finally {
      if (errorCode === null || !CALLER_ERRORS.has(errorCode)) {
        await record(deps, invocation, errorCode, performance.now() - started, ctx);
      }
    }
  };
}

async function record(
  deps: ReasoningDeps,
  invocation: Invocation,
  errorCode: string | null,
  latencyMs: number,
  ctx: ToolContext,
): Promise<void> {
  try {
    await insertInvocation(deps.store.db, {
      tool: invocation.tool,
      mode: invocation.mode,
      provider: invocation.provider,
      model: invocation.model,
      session_id: invocation.sessionId,
      success: errorCode === null ? 1 : 0,
      error_code: errorCode,
      latency_ms: Math.round(latencyMs * 1000) / 1000,
      created_at: new Date().toISOString(),
    });
  } catch (error) {
    // Metrics must never turn a finished call into a failure.
    ctx.logger.warn({ err: error }, 'could not record the invocation');
  }
}
