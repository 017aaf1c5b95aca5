/**
 * Tool registration with one dispatch path for every Choir tool: input limits, zod validation,
 * error mapping, output validation, progress, cancellation and in-flight tracking.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CallToolResult,
  CallToolRequestSchema,
  ErrorCode as RpcErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
  type ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { classifyError, errorResult, ToolError } from './errors.js';
import { createGenerator, type Generate } from './generate.js';
import { checkInputLimits, DEFAULT_INPUT_LIMITS, type InputLimits } from './limits.js';
import type { Logger } from './logger.js';
import type { ServerDeps } from './settings.js';

export const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export interface ToolContext {
  /** Aborted when the client cancels the call or the server shuts down. */
  signal: AbortSignal;
  logger: Logger;
  /** Sampling, then provider, then MODEL_UNAVAILABLE. */
  generate: Generate;
  /** Whether generate() has anything to call right now. */
  modelAvailable: boolean;
  /** Sends notifications/progress when the caller passed a progress token; otherwise does nothing. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  hasProgressToken: boolean;
  /** The low-level MCP server: client capabilities, elicitation, notifications. */
  mcp: McpServer;
}

export interface ToolReturn<O> {
  /** For people: what a chat client shows. */
  text: string;
  /** For programs: the structuredContent, validated against the tool's output schema. */
  data: O;
}

export interface ToolDefinition<I extends z.ZodType, O extends z.ZodType> {
  name: string;
  title?: string;
  description: string;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
  limits?: Partial<InputLimits>;
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<ToolReturn<z.input<O>>>;
}

/** A tool with its types erased, so tools of different shapes fit in one list. */
export interface ToolSpec {
  name: string;
  title?: string;
  description: string;
  input: z.ZodType;
  output: z.ZodType;
  annotations?: ToolAnnotations;
  limits: InputLimits;
  run(args: unknown, ctx: ToolContext): Promise<ToolReturn<unknown>>;
}

export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: ToolDefinition<I, O>): ToolSpec {
  if (!TOOL_NAME.test(def.name)) throw new Error(`tool name ${def.name} does not match ${TOOL_NAME}`);
  return {
    name: def.name,
    title: def.title,
    description: def.description,
    input: def.input,
    output: def.output,
    annotations: def.annotations,
    limits: { ...DEFAULT_INPUT_LIMITS, ...def.limits },
    run: (args, ctx) => def.handler(args as z.output<I>, ctx),
  };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Tool['inputSchema'] {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest as Tool['inputSchema'];
}

/** Formats zod issues as `path: message; …` — what a person needs to fix the call. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`)
    .join('; ');
}

export function registerTools<DB>(mcp: McpServer, tools: ToolSpec[], deps: ServerDeps<DB>): void {
  const byName = new Map<string, ToolSpec>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`tool ${tool.name} registered twice`);
    byName.set(tool.name, tool);
  }
  const listed: Tool[] = tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, 'input'),
    outputSchema: jsonSchema(tool.output, 'output'),
    annotations: tool.annotations,
  }));
  const generator = createGenerator({
    server: mcp.server,
    model: deps.model,
    logger: deps.logger,
    timeoutMs: deps.settings.requestTimeoutMs,
    maxRetries: deps.settings.maxRetries,
    useSampling: deps.settings.useSampling,
  });

  mcp.server.registerCapabilities({ tools: {} });
  mcp.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));
  mcp.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) throw new McpError(RpcErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const started = performance.now();
    const log = deps.logger.child({ tool: tool.name, request: extra.requestId });
    const progressToken = request.params._meta?.progressToken;
    const ctx: ToolContext = {
      signal: extra.signal,
      logger: log,
      generate: (req) => generator.generate({ ...req, signal: req.signal ?? extra.signal }),
      modelAvailable: generator.available(),
      hasProgressToken: progressToken !== undefined,
      mcp,
      async progress(progress, total, message) {
        if (progressToken === undefined) return;
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress, total, message },
        });
      },
    };
    return deps.inflight.track(async () => {
      try {
        const args = request.params.arguments ?? {};
        checkInputLimits(args, tool.limits);
        const parsed = tool.input.safeParse(args);
        if (!parsed.success) throw new ToolError('INVALID_INPUT', describeIssues(parsed.error));
        const { text, data } = await tool.run(parsed.data, ctx);
        const output = tool.output.safeParse(data);
        if (!output.success) {
          log.error({ issues: output.error.issues }, 'tool output does not match its schema');
          return errorResult({ code: 'INTERNAL', message: 'the tool produced an invalid result' });
        }
        log.debug({ ms: Math.round(performance.now() - started) }, 'tool call complete');
        return {
          content: [{ type: 'text', text }],
          structuredContent: output.data as Record<string, unknown>,
        };
      } catch (error) {
        const info = classifyError(error);
        if (info.unexpected) log.error({ err: error }, 'tool call failed unexpectedly');
        else log.info({ code: info.code, msg: info.message }, 'tool call refused');
        return errorResult(info);
      }
    });
  });
}
