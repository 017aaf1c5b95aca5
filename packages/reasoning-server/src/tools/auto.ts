/**
 * reasoning_auto: picks a mode for the content, runs it and says which and why. The router is
 * the model (its answer validated; an invalid route is an error, never a quiet default) or,
 * without a model, the deterministic rule in auto-rule.ts.
 */
import { defineTool, ToolError, type ToolReturn } from '@choir/server-kit';
import { z } from 'zod';
import { AUTO_MODES, AUTO_RULE_TEXT, type AutoMode, chooseModeByRule } from '../auto-rule.js';
import type { ReasoningDeps } from '../deps.js';
import { generateForMode } from '../generation.js';
import { tracked } from '../invocation.js';
import { AUTO_SYSTEM, RouteAnswer } from '../prompts.js';
import { APPENDS, Content, Id, NoCache, requireSession } from './shared.js';
import { DivergentInput, runDivergent } from './divergent.js';
import { LinearInput, runLinear } from './linear.js';
import { ReflectInput, runReflect } from './reflect.js';
import { runTree, TreeInput } from './tree.js';

export const AutoOutput = z.object({
  mode: z.enum(AUTO_MODES),
  reason: z.string(),
  /** The router model's confidence; null when the rule chose. */
  confidence: z.number().nullable(),
  routed_by: z.enum(['model', 'rule']),
  /** False when the chosen mode cannot run without a model (the rule chose tree, divergent or reflection). */
  executed: z.boolean(),
  session_id: z.string().nullable(),
  /** The chosen tool's own result (as that tool returns it), or null when not executed. */
  result: z.record(z.string(), z.unknown()).nullable(),
  generated: z.boolean(),
  model: z.string().optional(),
});
export type AutoOutput = z.infer<typeof AutoOutput>;

const TOOL_OF: Record<AutoMode, string> = {
  linear: 'reasoning_linear',
  tree: 'reasoning_tree',
  divergent: 'reasoning_divergent',
  reflection: 'reasoning_reflect',
};

export const autoTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_auto',
    title: 'Choose a mode and run it',
    description:
      'Chooses linear, tree, divergent or reflection for the content, runs it and reports the choice and why. ' +
      'With a model the model routes (an invalid route is an error). Without one a fixed rule routes: ' +
      `${AUTO_RULE_TEXT} Without a model only linear can run (it records content); other choices are reported ` +
      'with executed: false and the tool to call.',
    input: z.object({
      content: Content,
      session_id: Id.optional(),
      context: z.string().optional(),
      problem_type: z
        .string()
        .max(200)
        .optional()
        .describe('a hint for the router, e.g. "decision" or "proof"'),
      no_cache: NoCache,
    }),
    output: AutoOutput,
    annotations: APPENDS,
    handler: tracked(
      deps,
      'reasoning_auto',
      'auto',
      async (args, ctx, invocation): Promise<ToolReturn<AutoOutput>> => {
        if (args.session_id) await requireSession(deps.store.db, args.session_id);
        let mode: AutoMode;
        let reason: string;
        let confidence: number | null = null;
        const routedBy = ctx.modelAvailable ? 'model' : 'rule';
        if (ctx.modelAvailable) {
          try {
            const route = await generateForMode(deps, ctx, invocation, {
              purpose: 'auto',
              system: AUTO_SYSTEM,
              prompt:
                `Problem:\n${args.content}\n\n` +
                (args.context ? `Context:\n${args.context}\n\n` : '') +
                (args.problem_type ? `Problem type: ${args.problem_type}\n\n` : '') +
                `Choose one mode: ${AUTO_MODES.join(', ')}.`,
              variables: {
                context: args.context ?? '',
                problem_type: args.problem_type ?? '',
                prompt: args.content,
              },
              schema: RouteAnswer,
              cacheInput: {},
              noCache: args.no_cache,
            });
            mode = route.data.mode;
            reason = route.data.reason;
            confidence = route.data.confidence;
          } catch (error) {
            if (error instanceof ToolError && error.code === 'MODEL_UNAVAILABLE') {
              throw new ToolError(
                'MODEL_UNAVAILABLE',
                `routing failed, so no mode was run: ${error.message}`,
                'the router must answer one of linear, tree, divergent, reflection',
              );
            }
            throw error;
          }
        } else {
          ({ mode, reason } = chooseModeByRule(args.content));
        }

        const common = { content: args.content, session_id: args.session_id, no_cache: args.no_cache };
        let run: ToolReturn<Record<string, unknown>> | null = null;
        if (mode === 'linear') {
          run = await runLinear(
            deps,
            ctx,
            invocation,
            LinearInput.parse({ ...common, context: args.context }),
          );
        } else if (ctx.modelAvailable) {
          if (mode === 'tree')
            run = await runTree(deps, ctx, invocation, TreeInput.parse({ ...common, context: args.context }));
          else if (mode === 'divergent') {
            run = await runDivergent(
              deps,
              ctx,
              invocation,
              DivergentInput.parse({ ...common, context: args.context }),
            );
          } else run = await runReflect(deps, ctx, invocation, ReflectInput.parse(common));
        }
        const result = run?.data ?? null;
        const generated = Boolean(result?.generated);
        const model = typeof result?.model === 'string' ? result.model : undefined;
        const data: AutoOutput = {
          mode,
          reason,
          confidence,
          routed_by: routedBy,
          executed: run !== null,
          session_id: typeof result?.session_id === 'string' ? result.session_id : (args.session_id ?? null),
          result,
          generated,
          ...(model ? { model } : {}),
        };
        const head = `Mode: ${mode} (chosen by the ${routedBy}: ${reason}).`;
        const text = run
          ? `${head}\n${run.text}`
          : `${head}\nNot run: ${mode} needs a model to generate its output and none is available. ` +
            `Call ${TOOL_OF[mode]} yourself${mode === 'reflection' ? ' once a model is configured' : ' with the content you want recorded'}.`;
        return { text, data };
      },
    ),
  });
