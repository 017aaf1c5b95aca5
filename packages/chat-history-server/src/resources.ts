/**
 * Resources `history://conversations` and `history://conversations/{conversation_id}`, with
 * subscriptions: a change made through this server notifies the subscribers of what changed.
 * (Changes written by another process on the same database are not seen here.)
 */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  ErrorCode,
  McpError,
  type ReadResourceResult,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { CONVERSATION_ID_PATTERN, toEventOutput } from './events.js';
import { toSummary } from './schemas.js';
import type { ChangeNotifier, HistoryServerContext } from './server-context.js';

export const CONVERSATIONS_URI = 'history://conversations';
export const conversationUri = (id: string) => `${CONVERSATIONS_URI}/${id}`;
/** How much a resource read returns; the tools page through the rest. */
export const RESOURCE_LIMIT = 50;
/** MCP's "resource not found" code. */
const RESOURCE_NOT_FOUND = -32002;

function json(uri: string, value: unknown): ReadResourceResult {
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}

/** The conversation id a URI names, null for the list, undefined when it is not one of ours. */
function parseUri(uri: string): string | null | undefined {
  if (uri === CONVERSATIONS_URI) return null;
  const prefix = `${CONVERSATIONS_URI}/`;
  if (!uri.startsWith(prefix)) return undefined;
  const id = decodeURIComponent(uri.slice(prefix.length));
  return CONVERSATION_ID_PATTERN.test(id) ? id : undefined;
}

export function registerHistoryResources(
  mcp: McpServer,
  ctx: Omit<HistoryServerContext, 'notify'>,
): ChangeNotifier {
  mcp.registerResource(
    'conversations',
    CONVERSATIONS_URI,
    {
      title: 'Conversations',
      description: `The ${RESOURCE_LIMIT} most recently active conversations (history_list_conversations pages through all).`,
      mimeType: 'application/json',
    },
    async (uri) => {
      const { items, hasMore } = await ctx.history.listConversations(RESOURCE_LIMIT);
      return json(uri.href, { conversations: items.map(toSummary), has_more: hasMore });
    },
  );

  mcp.registerResource(
    'conversation',
    new ResourceTemplate(`${CONVERSATIONS_URI}/{conversation_id}`, {
      list: async () => {
        const { items } = await ctx.history.listConversations(RESOURCE_LIMIT);
        return {
          resources: items.map((c) => ({
            uri: conversationUri(c.id),
            name: c.title ?? c.id,
            description: `${c.event_count} events, last activity ${c.last_activity_at}`,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      title: 'Conversation',
      description: `A conversation and its ${RESOURCE_LIMIT} newest events (history_get pages through all).`,
      mimeType: 'application/json',
    },
    async (uri) => {
      const id = parseUri(uri.href);
      const conversation = id ? await ctx.history.conversation(id) : undefined;
      if (!id || !conversation) throw new McpError(RESOURCE_NOT_FOUND, `Resource ${uri.href} not found`);
      const newest = await ctx.history.events({
        conversationId: id,
        beforeSeq: Number.MAX_SAFE_INTEGER,
        limit: RESOURCE_LIMIT,
      });
      return json(uri.href, {
        conversation: toSummary(conversation),
        events: newest.reverse().map(toEventOutput),
        has_earlier_events: conversation.event_count > newest.length,
      });
    },
  );

  const subscribed = new Set<string>();
  mcp.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  mcp.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    // A conversation that does not exist yet may be subscribed to: its first append notifies.
    if (parseUri(uri) === undefined)
      throw new McpError(ErrorCode.InvalidParams, `not a chat-history resource: ${uri}`);
    subscribed.add(uri);
    return {};
  });
  mcp.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });

  const send = (uri: string) => {
    if (!subscribed.has(uri) || !mcp.isConnected()) return;
    mcp.server.sendResourceUpdated({ uri }).catch((err: unknown) => {
      ctx.deps.logger.warn({ err, uri }, 'could not send resources/updated');
    });
  };
  return {
    conversationChanged(id) {
      send(conversationUri(id));
      send(CONVERSATIONS_URI);
    },
    conversationsListChanged() {
      if (mcp.isConnected()) mcp.sendResourceListChanged();
    },
  };
}
