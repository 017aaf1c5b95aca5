import { describe, expect, it } from 'vitest';
import {
  bestPath,
  type GraphEdge,
  type GraphNode,
  hasCycle,
  nodesToPrune,
  wouldCreateCycle,
} from './graph.js';

const node = (
  id: string,
  seq: number,
  score: number | null = null,
  status: GraphNode['status'] = 'active',
) => ({
  id,
  seq,
  score,
  status,
});
const edge = (from: string, to: string): GraphEdge => ({ from, to });

// r → a → c, r → b → c, c → d
const diamond: GraphEdge[] = [edge('r', 'a'), edge('r', 'b'), edge('a', 'c'), edge('b', 'c'), edge('c', 'd')];

describe('wouldCreateCycle', () => {
  it('refuses an edge back to an ancestor', () => {
    expect(wouldCreateCycle(diamond, 'd', 'r')).toBe(true);
    expect(wouldCreateCycle(diamond, 'c', 'a')).toBe(true);
  });
  it('refuses a self-loop', () => {
    expect(wouldCreateCycle(diamond, 'a', 'a')).toBe(true);
  });
  it('allows a forward or sideways edge', () => {
    expect(wouldCreateCycle(diamond, 'a', 'b')).toBe(false);
    expect(wouldCreateCycle(diamond, 'r', 'd')).toBe(false);
    expect(wouldCreateCycle(diamond, 'x', 'y')).toBe(false);
  });
});

describe('hasCycle', () => {
  it('finds a cycle and accepts a DAG', () => {
    expect(hasCycle(['r', 'a', 'b', 'c', 'd'], diamond)).toBe(false);
    expect(hasCycle(['a', 'b'], [edge('a', 'b'), edge('b', 'a')])).toBe(true);
  });
});

describe('nodesToPrune', () => {
  it('prunes low scores and whatever only they supported, keeping unscored nodes', () => {
    const nodes = [
      node('r', 1),
      node('a', 2, 0.2),
      node('b', 3, null),
      node('c', 4, 0.9),
      node('d', 5, null),
    ];
    // a is low; c is still reachable through b, so only a goes.
    expect(nodesToPrune(nodes, diamond, 'r', { threshold: 0.5 })).toEqual(['a']);
    // With b also low, c and d lose their last support.
    const bLow = nodes.map((n) => (n.id === 'b' ? { ...n, score: 0.1 } : n));
    expect(nodesToPrune(bLow, diamond, 'r', { threshold: 0.5 })).toEqual(['a', 'b', 'c', 'd']);
  });
  it('prunes named nodes and what depended only on them, whatever their score', () => {
    const nodes = [node('r', 1), node('a', 2, 0.9), node('b', 3, 0.9), node('c', 4), node('d', 5)];
    expect(nodesToPrune(nodes, diamond, 'r', { ids: ['a'] })).toEqual(['a']);
    expect(nodesToPrune(nodes, diamond, 'r', { ids: ['c', 'r'] })).toEqual(['c', 'd']);
  });
  it('never prunes the root or already pruned nodes', () => {
    const nodes = [node('r', 1, 0), node('a', 2, 0.1, 'pruned'), node('b', 3, 0.8)];
    expect(nodesToPrune(nodes, [edge('r', 'a'), edge('r', 'b')], 'r', { threshold: 0.5 })).toEqual([]);
  });
});

describe('bestPath', () => {
  it('ends at the best node and takes the highest-scoring route to it', () => {
    const nodes = [node('r', 1), node('a', 2, 0.4), node('b', 3, 0.7), node('c', 4, 0.5), node('d', 5, 0.95)];
    expect(bestPath(nodes, diamond, 'r')).toEqual({
      path: ['r', 'b', 'c', 'd'],
      bestNodeId: 'd',
      bestScore: 0.95,
      pathScore: 2.15,
    });
  });
  it('breaks a tie between best nodes by creation order', () => {
    const nodes = [node('r', 1), node('a', 2, 0.8), node('b', 3, 0.8)];
    expect(bestPath(nodes, [edge('r', 'a'), edge('r', 'b')], 'r')?.bestNodeId).toBe('a');
  });
  it('ignores pruned nodes and what is only reachable through them', () => {
    const nodes = [node('r', 1), node('a', 2, 0.9, 'pruned'), node('b', 3, 0.3), node('x', 4, 1)];
    const edges = [edge('r', 'a'), edge('r', 'b'), edge('a', 'x')];
    expect(bestPath(nodes, edges, 'r')).toEqual({
      path: ['r', 'b'],
      bestNodeId: 'b',
      bestScore: 0.3,
      pathScore: 0.3,
    });
  });
  it('is null when nothing reachable is scored', () => {
    expect(bestPath([node('r', 1), node('a', 2)], [edge('r', 'a')], 'r')).toBeNull();
  });
  it('can end at a scored root', () => {
    expect(bestPath([node('r', 1, 0.6)], [], 'r')).toEqual({
      path: ['r'],
      bestNodeId: 'r',
      bestScore: 0.6,
      pathScore: 0.6,
    });
  });
});
