/**
 * Helpers for servers' tests: a store in a temp dir, deps, a real MCP client over the SDK's
 * InMemoryTransport (with scripted sampling and elicitation), and a client for a spawned bin.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModel } from '@choir/llm';
import { openStore, type Store } from '@choir/storage';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type CreateMessageResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { ERROR_META_KEY, type ErrorCode } from './errors.js';
import { Inflight } from './inflight.js';
import { createLogger } from './logger.js';
import { type Env, loadSettings, type ServerDeps } from './settings.js';

export function tempDataDir(prefix = 'choir-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function openTestStore<DB>(
  server: string,
  migrationsDir: string,
  dataDir = tempDataDir(),
): Promise<Store<DB>> {
  return openStore<DB>({ server, migrationsDir, env: { CHOIR_DATA_DIR: dataDir } });
}

export function testDeps<DB>(
  store: Store<DB>,
  options: { model?: LanguageModel | null; env?: Env } = {},
): ServerDeps<DB> {
  const env: Env = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', MAX_RETRIES: '0', ...options.env };
  return {
    store,
    logger: createLogger(store.server, env),
    model: options.model ?? null,
    modelDescription: options.model ? `${options.model.provider}:${options.model.model}` : 'none',
    env,
    settings: loadSettings(env),
    inflight: new Inflight(),
  };
}

export type SamplingHandler = (
  params: CreateMessageRequest['params'],
) => CreateMessageResult | Promise<CreateMessageResult>;
export type ElicitationHandler = (params: ElicitRequest['params']) => ElicitResult | Promise<ElicitResult>;

export interface TestClientOptions {
  /** Answer sampling/createMessage like a host with a model would; omit for a client without sampling. */
  sampling?: SamplingHandler;
  elicitation?: ElicitationHandler;
}

/** A sampling answer with the given text, as a scripted model. */
export function samplingText(text: string, model = 'scripted-model'): CreateMessageResult {
  return { role: 'assistant', model, content: { type: 'text', text }, stopReason: 'endTurn' };
}

function clientFor(options: TestClientOptions): Client {
  const capabilities: Record<string, object> = {};
  if (options.sampling) capabilities.sampling = {};
  if (options.elicitation) capabilities.elicitation = { form: {} };
  const client = new Client({ name: 'choir-test-client', version: '0.0.0' }, { capabilities });
  if (options.sampling) {
    const handler = options.sampling;
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => handler(request.params));
  }
  if (options.elicitation) {
    const handler = options.elicitation;
    client.setRequestHandler(ElicitRequestSchema, async (request) => handler(request.params));
  }
  return client;
}

/** A real MCP client connected to the server through the SDK's InMemoryTransport. */
export async function connectInMemory(server: McpServer, options: TestClientOptions = {}): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = clientFor(options);
  await server.connect(serverSide);
  await client.connect(clientSide);
  return client;
}

export interface SpawnedServer {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  close(): Promise<void>;
}

/** Spawns a built server bin with `node` and connects a client over real stdio. */
export async function spawnServer(
  binPath: string,
  env: Env,
  options: TestClientOptions = {},
): Promise<SpawnedServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath],
    env: { PATH: process.env.PATH ?? '', ...env } as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = clientFor(options);
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}

export interface ToolOutcome<T = Record<string, unknown>> {
  isError: boolean;
  /** The stable error code, when isError. */
  code?: ErrorCode;
  text: string;
  data: T;
}

/** Calls a tool and unpacks text, structured data and the error code. */
export async function callTool<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  options: { onprogress?: (p: { progress: number; total?: number; message?: string }) => void } = {},
): Promise<ToolOutcome<T>> {
  const result = await client.callTool({ name, arguments: args }, undefined, options);
  const content = (result.content ?? []) as { type: string; text?: string }[];
  const text = content
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('\n');
  const meta = result._meta as Record<string, { code?: ErrorCode }> | undefined;
  return {
    isError: Boolean(result.isError),
    code: meta?.[ERROR_META_KEY]?.code,
    text,
    data: (result.structuredContent ?? {}) as T,
  };
}
