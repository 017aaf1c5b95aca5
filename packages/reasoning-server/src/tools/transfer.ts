/** reasoning_session_export and reasoning_session_import: a session as one versioned JSON document. */
import { conflict, defineTool, invalidInput, notFound } from '@choir/server-kit';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ReasoningDeps } from '../deps.js';
import {
  documentProblems,
  documentRowCount,
  planMerge,
  remapDocument,
  SessionDocument,
} from '../session-document.js';
import { deleteSession, ownersOf, readDocument, sessionRowTotal, writeDocument } from '../store/documents.js';
import { type IdPrefix, newId, nowIso } from '../store/ids.js';
import { getSession } from '../store/sessions.js';
import type { Db } from '../store/tables.js';
import { Id, READS, requireSession } from './shared.js';

/** The most rows one document may hold, either way: bounded memory and message size. */
export const MAX_DOCUMENT_ROWS = 20_000;

export const sessionExportTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_session_export',
    title: 'Export a session',
    description:
      `Exports a whole session (thoughts, branches, cross-references, checkpoints, graph) as a versioned JSON ` +
      `document (format choir-reasoning-session, version 1) for reasoning_session_import. Sessions over ` +
      `${MAX_DOCUMENT_ROWS} rows are refused.`,
    input: z.object({ session_id: Id }),
    output: z.object({ document: SessionDocument, row_count: z.number().int() }),
    annotations: READS,
    async handler(args) {
      const db = deps.store.db;
      await requireSession(db, args.session_id);
      const rows = await sessionRowTotal(db, args.session_id);
      if (rows > MAX_DOCUMENT_ROWS) {
        throw invalidInput(
          `session ${args.session_id} has ${rows} rows, over the export limit of ${MAX_DOCUMENT_ROWS}`,
          'read it a page at a time with reasoning_session_get',
        );
      }
      const document = await readDocument(db, args.session_id, nowIso());
      if (!document) throw notFound(`session ${args.session_id} does not exist`);
      return {
        text:
          `Session ${args.session_id}: ${document.thoughts.length} thoughts, ${document.branches.length} branches, ` +
          `${document.checkpoints.length} checkpoints, ${document.graph_nodes.length} graph nodes.\n` +
          JSON.stringify(document),
        data: { document, row_count: rows },
      };
    },
  });

const Counts = z.object({
  thoughts: z.number().int(),
  branches: z.number().int(),
  cross_refs: z.number().int(),
  checkpoints: z.number().int(),
  graph_nodes: z.number().int(),
  graph_edges: z.number().int(),
});
type Counts = z.infer<typeof Counts>;

function countsOf(doc: SessionDocument): Counts {
  return {
    thoughts: doc.thoughts.length,
    branches: doc.branches.length,
    cross_refs: doc.cross_refs.length,
    checkpoints: doc.checkpoints.length,
    graph_nodes: doc.graph_nodes.length,
    graph_edges: doc.graph_edges.length,
  };
}
const NONE: Counts = {
  thoughts: 0,
  branches: 0,
  cross_refs: 0,
  checkpoints: 0,
  graph_nodes: 0,
  graph_edges: 0,
};

function allIds(doc: SessionDocument): string[] {
  return [
    doc.session.id,
    ...doc.thoughts.map((t) => t.id),
    ...doc.branches.map((b) => b.id),
    ...doc.cross_refs.map((r) => r.id),
    ...doc.checkpoints.map((c) => c.id),
    ...doc.graph_nodes.map((n) => n.id),
    ...doc.graph_edges.map((e) => e.id),
  ];
}

/** Ids that already belong to a session other than `sessionId` cannot be imported under it. */
async function refuseForeignIds(
  db: Db,
  doc: SessionDocument,
  sessionId: string,
): Promise<Map<string, string>> {
  const owners = await ownersOf(db, allIds(doc));
  const foreign = [...owners].filter(([, owner]) => owner !== sessionId).map(([id]) => id);
  if (foreign.length) {
    throw conflict(
      `ids already used by other sessions: ${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}`,
      'import with mode "append" to give every row a new id',
    );
  }
  return owners;
}

async function sessionShape(db: Db, sessionId: string) {
  const result = await sql<{ max_thought: number | null; max_node: number | null; has_root: number }>`
    SELECT (SELECT max(seq) FROM thoughts WHERE session_id = ${sessionId}) AS max_thought,
           (SELECT max(seq) FROM graph_nodes WHERE session_id = ${sessionId}) AS max_node,
           EXISTS (SELECT 1 FROM graph_nodes WHERE session_id = ${sessionId} AND node_type = 'root') AS has_root`.execute(
    db,
  );
  const row = result.rows[0]!;
  const names = await db
    .selectFrom('checkpoints')
    .select('name')
    .where('session_id', '=', sessionId)
    .execute();
  return {
    maxThoughtSeq: Number(row.max_thought ?? 0),
    maxNodeSeq: Number(row.max_node ?? 0),
    hasRoot: Number(row.has_root) === 1,
    checkpointNames: new Set(names.map((n) => n.name)),
  };
}

function refuseClashes(
  shape: Awaited<ReturnType<typeof sessionShape>>,
  adding: SessionDocument,
  sessionId: string,
) {
  if (shape.hasRoot && adding.graph_nodes.some((n) => n.node_type === 'root')) {
    throw conflict(`session ${sessionId} already has a graph; a session holds one graph`);
  }
  const clash = adding.checkpoints.filter((c) => shape.checkpointNames.has(c.name)).map((c) => c.name);
  if (clash.length) throw conflict(`session ${sessionId} already has checkpoints named ${clash.join(', ')}`);
}

export const sessionImportTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_session_import',
    title: 'Import a session',
    description:
      'Imports a document from reasoning_session_export after validating it completely (shape, references, ' +
      'graph acyclicity); nothing is written if anything is wrong. mode "append" (default) copies it with new ids ' +
      'into target_session_id or a new session; "merge" adds to the session with the document\'s id the rows it ' +
      'lacks (matched by id); "replace" deletes that session and writes the document in its place.',
    input: z.object({
      document: SessionDocument,
      mode: z.enum(['append', 'merge', 'replace']).default('append'),
      target_session_id: Id.optional().describe(
        'append only: the session to append to (default: a new session)',
      ),
    }),
    output: z.object({
      session_id: z.string(),
      mode: z.enum(['append', 'merge', 'replace']),
      imported: Counts,
      skipped: Counts,
      replaced_existing: z.boolean(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    limits: { maxArrayLength: MAX_DOCUMENT_ROWS, maxDepth: 24 },
    async handler(args) {
      const db = deps.store.db;
      const doc = args.document;
      const problems = documentProblems(doc);
      if (problems.length) throw invalidInput(`the document is not consistent: ${problems.join('; ')}`);
      if (documentRowCount(doc) > MAX_DOCUMENT_ROWS) {
        throw invalidInput(
          `the document has ${documentRowCount(doc)} rows, over the limit of ${MAX_DOCUMENT_ROWS}`,
        );
      }
      if (args.target_session_id && args.mode !== 'append') {
        throw invalidInput('target_session_id is only for mode "append"');
      }

      let sessionId = doc.session.id;
      let imported: Counts;
      let skipped = NONE;
      let replaced = false;
      if (args.mode === 'append') {
        const target = args.target_session_id ? await requireSession(db, args.target_session_id) : undefined;
        sessionId = target?.id ?? newId('ses');
        const shape = target ? await sessionShape(db, target.id) : await sessionShapeOfNothing();
        const copy = remapDocument(doc, {
          sessionId,
          fresh: (_old, kind) => newId(kind as IdPrefix),
          thoughtSeqOffset: shape.maxThoughtSeq,
          nodeSeqOffset: shape.maxNodeSeq,
        });
        refuseClashes(shape, copy, sessionId);
        await db.transaction().execute((trx) => writeDocument(trx, copy, sessionId, !target));
        imported = countsOf(copy);
      } else {
        const existing = await getSession(db, sessionId);
        const owners = await refuseForeignIds(db, doc, sessionId);
        if (!existing || args.mode === 'replace') {
          replaced = Boolean(existing);
          await db.transaction().execute(async (trx) => {
            if (existing) await deleteSession(trx, sessionId);
            await writeDocument(trx, doc, sessionId, true);
          });
          imported = countsOf(doc);
        } else {
          const shape = await sessionShape(db, sessionId);
          const known = doc.thoughts.filter((t) => owners.has(t.id)).map((t) => t.id);
          const knownNodes = doc.graph_nodes.filter((n) => owners.has(n.id)).map((n) => n.id);
          const thoughtSeqs = new Map(
            known.length
              ? (
                  await db.selectFrom('thoughts').select(['id', 'seq']).where('id', 'in', known).execute()
                ).map((t) => [t.id, t.seq] as const)
              : [],
          );
          const nodeSeqs = new Map(
            knownNodes.length
              ? (
                  await db
                    .selectFrom('graph_nodes')
                    .select(['id', 'seq'])
                    .where('id', 'in', knownNodes)
                    .execute()
                ).map((n) => [n.id, n.seq] as const)
              : [],
          );
          const plan = planMerge(doc, {
            ids: new Set(owners.keys()),
            thoughtSeqs,
            nodeSeqs,
            maxThoughtSeq: shape.maxThoughtSeq,
            maxNodeSeq: shape.maxNodeSeq,
          });
          refuseClashes(shape, plan.doc, sessionId);
          await db.transaction().execute((trx) => writeDocument(trx, plan.doc, sessionId, false));
          imported = countsOf(plan.doc);
          skipped = plan.skipped;
        }
      }
      const total = Object.values(imported).reduce((a, b) => a + b, 0);
      return {
        text:
          `Imported (${args.mode}) into session ${sessionId}: ${total} rows` +
          `${replaced ? ', replacing the stored session' : ''}` +
          `${args.mode === 'merge' ? `, ${Object.values(skipped).reduce((a, b) => a + b, 0)} already present` : ''}.`,
        data: { session_id: sessionId, mode: args.mode, imported, skipped, replaced_existing: replaced },
      };
    },
  });

async function sessionShapeOfNothing() {
  return { maxThoughtSeq: 0, maxNodeSeq: 0, hasRoot: false, checkpointNames: new Set<string>() };
}
