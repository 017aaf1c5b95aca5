import { afterEach, describe, expect, it } from 'vitest';
import type { SessionDocument } from '../src/session-document.js';
import type { LinearOutput } from '../src/tools/linear.js';
import type { TreeOutput } from '../src/tools/tree.js';
import { type Harness, harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

interface Imported {
  session_id: string;
  imported: Record<string, number>;
  skipped: Record<string, number>;
  replaced_existing: boolean;
}

/** A session with a bit of everything: thoughts, a tree with a cross-ref, a checkpoint and a graph. */
async function richSession(): Promise<string> {
  const t = await h.ok<LinearOutput>('reasoning_linear', { content: 'start' });
  const sid = t.session_id;
  const tree = await h.ok<TreeOutput>('reasoning_tree', {
    content: 'options',
    session_id: sid,
    branches: [{ content: 'one' }, { content: 'two' }],
    cross_refs: [{ from: 0, to: 1, type: 'alternative' }],
  });
  await h.ok('reasoning_tree_focus', { session_id: sid, branch_id: tree.branches[0]!.branch_id });
  await h.ok('reasoning_checkpoint_create', { session_id: sid, name: 'cp' });
  await h.ok('reasoning_linear', { content: 'after cp', session_id: sid });
  const g = await h.ok<{ root_node_id: string }>('reasoning_got_init', {
    content: 'graph root',
    session_id: sid,
  });
  await h.ok('reasoning_got_generate', {
    session_id: sid,
    node_id: g.root_node_id,
    candidates: ['n1', 'n2'],
  });
  return sid;
}

const exportOf = async (sid: string) =>
  (
    await h.ok<{ document: SessionDocument; row_count: number }>('reasoning_session_export', {
      session_id: sid,
    })
  ).document;

describe('export and import', () => {
  it('exports a versioned document and replaces a session with it, round-tripping exactly', async () => {
    h = await harness();
    const sid = await richSession();
    const doc = await exportOf(sid);
    expect(doc).toMatchObject({ format: 'choir-reasoning-session', version: 1 });
    expect([doc.thoughts.length, doc.branches.length, doc.cross_refs.length, doc.checkpoints.length]).toEqual(
      [5, 2, 1, 1],
    );
    expect([doc.graph_nodes.length, doc.graph_edges.length]).toEqual([3, 2]);

    await h.ok('reasoning_linear', { content: 'to be replaced', session_id: sid });
    const r = await h.ok<Imported>('reasoning_session_import', { document: doc, mode: 'replace' });
    expect(r).toMatchObject({
      session_id: sid,
      replaced_existing: true,
      imported: { thoughts: 5, graph_nodes: 3 },
    });
    const again = await exportOf(sid);
    expect({ ...again, exported_at: '' }).toEqual({ ...doc, exported_at: '' });
    // The full-text index follows the replace: the dropped thought is gone, the kept ones are found.
    const hits = await h.ok<{ results: unknown[] }>('reasoning_search', { query: 'replaced' });
    expect(hits.results).toEqual([]);
  });

  it('appends with new ids into a new session, and into an existing one after its thoughts', async () => {
    h = await harness();
    const sid = await richSession();
    const doc = await exportOf(sid);
    const copy = await h.ok<Imported>('reasoning_session_import', { document: doc });
    expect(copy.session_id).not.toBe(sid);
    const copied = await exportOf(copy.session_id);
    expect(copied.thoughts.map((t) => t.content)).toEqual(doc.thoughts.map((t) => t.content));
    expect(copied.thoughts.some((t) => doc.thoughts.some((o) => o.id === t.id))).toBe(false);
    // The copied checkpoint still restores within the copy.
    const back = await h.ok<{ abandoned_thought_count: number }>('reasoning_backtrack', {
      checkpoint_id: copied.checkpoints[0]!.id,
    });
    expect(back.abandoned_thought_count).toBe(1);

    const target = await h.ok<LinearOutput>('reasoning_linear', { content: 'existing' });
    const withoutGraph = { ...doc, graph_nodes: [], graph_edges: [], checkpoints: [] };
    const appended = await h.ok<Imported>('reasoning_session_import', {
      document: withoutGraph,
      target_session_id: target.session_id,
    });
    expect(appended.session_id).toBe(target.session_id);
    const after = await exportOf(target.session_id);
    expect(after.thoughts.map((t) => [t.seq, t.content])).toEqual([
      [1, 'existing'],
      ...doc.thoughts.map((t) => [t.seq + 1, t.content]),
    ]);
  });

  it('merges only the rows a session lacks', async () => {
    h = await harness();
    const sid = await richSession();
    const doc = await exportOf(sid);
    const extra = {
      ...doc,
      thoughts: [
        ...doc.thoughts,
        {
          ...doc.thoughts[0]!,
          id: 'th_extra',
          seq: 99,
          content: 'merged in',
          parent_id: null,
          branch_id: null,
        },
      ],
    };
    const r = await h.ok<Imported>('reasoning_session_import', { document: extra, mode: 'merge' });
    expect(r.imported).toEqual({
      thoughts: 1,
      branches: 0,
      cross_refs: 0,
      checkpoints: 0,
      graph_nodes: 0,
      graph_edges: 0,
    });
    expect(r.skipped).toMatchObject({ thoughts: 5, branches: 2, graph_nodes: 3 });
    const after = await exportOf(sid);
    expect(after.thoughts.at(-1)).toMatchObject({ id: 'th_extra', seq: 6, content: 'merged in' });
  });

  it('validates the whole document first and writes nothing when anything is wrong', async () => {
    h = await harness();
    const sid = await richSession();
    const doc = await exportOf(sid);
    const other = await h.ok<LinearOutput>('reasoning_linear', { content: 'another' });
    const before = await h.rows();
    const node = (i: number) => doc.graph_nodes[i]!.id;
    const cases: [string, Record<string, unknown>, string][] = [
      ['wrong version', { document: { ...doc, version: 2 } }, 'INVALID_INPUT'],
      ['not a document', { document: { hello: 'world' } }, 'INVALID_INPUT'],
      [
        'a dangling parent',
        {
          document: {
            ...doc,
            thoughts: doc.thoughts.map((t, i) => (i === 1 ? { ...t, parent_id: 'th_ghost' } : t)),
          },
        },
        'INVALID_INPUT',
      ],
      [
        'a graph cycle',
        {
          document: {
            ...doc,
            graph_edges: [
              ...doc.graph_edges,
              { ...doc.graph_edges[0]!, id: 'ge_back', from_node: node(1), to_node: node(0) },
            ],
          },
        },
        'INVALID_INPUT',
      ],
      [
        'target with replace',
        { document: doc, mode: 'replace', target_session_id: other.session_id },
        'INVALID_INPUT',
      ],
      ['an unknown target', { document: doc, target_session_id: 'ses_nope' }, 'NOT_FOUND'],
      ['a second graph for a session', { document: doc, target_session_id: sid }, 'CONFLICT'],
      [
        'ids of another session',
        { document: { ...doc, session: { ...doc.session, id: other.session_id } }, mode: 'merge' },
        'CONFLICT',
      ],
    ];
    for (const [what, args, code] of cases) {
      expect((await h.call('reasoning_session_import', args)).code, what).toBe(code);
    }
    expect(await h.rows()).toEqual(before);
  });

  it('refuses to export an unknown session', async () => {
    h = await harness();
    expect((await h.call('reasoning_session_export', { session_id: 'ses_nope' })).code).toBe('NOT_FOUND');
  });
});
