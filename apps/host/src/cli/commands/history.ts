/** `choir history list|show|search|export`: the chat-history server's conversations. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fetchHistory } from '../../conversation/resume.js';
import type { ToolCaller } from '../../postchain/tool-caller.js';
import { EXIT, globalOptions, loadHostConfig, runCommand, UserError } from '../common.js';
import { positiveInt, printResult, unwrap, withServer } from '../tool-command.js';

export function registerHistory(program: Command): void {
  const history = program.command('history').description('Stored conversations (chat-history server)');

  history
    .command('list')
    .description('Conversations, most recent activity first')
    .option('-n, --limit <n>', 'how many', positiveInt, 20)
    .option('--cursor <cursor>', 'the next page, as printed by the previous one')
    .option('--json', 'print the structured result')
    .action(async (options: { limit: number; cursor?: string; json?: boolean }, command: Command) => {
      await runCommand(async () => {
        const config = loadHostConfig(globalOptions(command));
        await withServer(config, 'chat-history', async (session) => {
          const result = await session.pool.call('history_list_conversations', {
            limit: options.limit,
            ...(options.cursor ? { cursor: options.cursor } : {}),
          });
          printResult(unwrap(result, 'history_list_conversations'), options.json);
        });
        return EXIT.ok;
      });
    });

  history
    .command('show')
    .description('Every event of one conversation, in order')
    .argument('<id>', 'conversation id')
    .option('--all', 'include phase outputs (by default only messages)')
    .option('--json', 'print the events as JSON')
    .action(async (id: string, options: { all?: boolean; json?: boolean }, command: Command) => {
      await runCommand(async () => {
        const config = loadHostConfig(globalOptions(command));
        await withServer(config, 'chat-history', async (session) => {
          let events: Awaited<ReturnType<typeof fetchHistory>>;
          try {
            events = await fetchHistory(session.pool, id, { timeoutMs: config.timeouts.persist });
          } catch (error) {
            throw new UserError((error as Error).message);
          }
          if (events.length === 0) throw new UserError(`conversation ${id} has no stored events`);
          if (options.json) {
            console.log(JSON.stringify(events, null, 2));
            return;
          }
          for (const event of events) {
            if (!options.all && event.type !== 'user_message' && event.type !== 'assistant_message') continue;
            const phase = typeof event.extra?.phase === 'string' ? ` ${event.extra.phase}` : '';
            const who =
              event.type === 'user_message'
                ? 'you'
                : event.type === 'assistant_message'
                  ? 'choir'
                  : `${event.type}${phase}`;
            console.log(`#${event.seq} ${event.timestamp ?? ''} ${who}:\n${indent(event.content ?? '')}\n`);
          }
        });
        return EXIT.ok;
      });
    });

  history
    .command('search')
    .description('Full-text search across conversations (or within one)')
    .argument('<query...>', 'words to find')
    .option('-c, --conversation <id>', 'only this conversation')
    .option('-n, --limit <n>', 'how many hits', positiveInt, 10)
    .option('--json', 'print the structured result')
    .action(
      async (
        words: string[],
        options: { conversation?: string; limit: number; json?: boolean },
        command: Command,
      ) => {
        await runCommand(async () => {
          const config = loadHostConfig(globalOptions(command));
          await withServer(config, 'chat-history', async (session) => {
            const result = await session.pool.call('history_search', {
              query: words.join(' '),
              limit: options.limit,
              ...(options.conversation ? { conversation_id: options.conversation } : {}),
            });
            printResult(unwrap(result, 'history_search'), options.json);
          });
          return EXIT.ok;
        });
      },
    );

  history
    .command('export')
    .description(
      'Export a conversation as JSONL (round-trips with history_import) or an OpenAI messages array',
    )
    .argument('<id>', 'conversation id')
    .option('--format <format>', 'jsonl | openai', 'jsonl')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (id: string, options: { format: string; output?: string }, command: Command) => {
      await runCommand(async () => {
        if (options.format !== 'jsonl' && options.format !== 'openai') {
          throw new UserError('--format must be jsonl or openai', EXIT.usage);
        }
        const config = loadHostConfig(globalOptions(command));
        const body = await withServer(config, 'chat-history', (session) =>
          exportConversation(session.pool, id, options.format as 'jsonl' | 'openai', config.timeouts.persist),
        );
        if (options.output) {
          writeFileSync(options.output, body);
          console.error(`wrote ${options.output}`);
        } else {
          process.stdout.write(body);
        }
        return EXIT.ok;
      });
    });
}

interface ExportPage {
  jsonl?: string;
  messages?: unknown[];
  next_after_seq: number | null;
}

/** The whole export, page by page (the server caps each page). */
export async function exportConversation(
  caller: ToolCaller,
  id: string,
  format: 'jsonl' | 'openai',
  timeoutMs: number,
): Promise<string> {
  const lines: string[] = [];
  const messages: unknown[] = [];
  let afterSeq = 0;
  for (;;) {
    const { data } = unwrap(
      await caller.call<ExportPage>(
        'history_export',
        { conversation_id: id, format, after_seq: afterSeq },
        { timeoutMs },
      ),
      'history_export',
    );
    if (data.jsonl) lines.push(data.jsonl.replace(/\n+$/, ''));
    if (data.messages) messages.push(...data.messages);
    if (data.next_after_seq === null || data.next_after_seq === undefined) break;
    afterSeq = data.next_after_seq;
  }
  return format === 'openai' ? `${JSON.stringify(messages, null, 2)}\n` : `${lines.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
