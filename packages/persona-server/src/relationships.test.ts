import { describe, expect, it } from 'vitest';
import {
  NEW_RELATIONSHIP,
  type RelationshipValues,
  relationshipType,
  updateRelationship,
} from './relationships.js';

describe('updateRelationship', () => {
  it('moves every value by its own rule after a perfect interaction', () => {
    expect(updateRelationship(NEW_RELATIONSHIP, { quality: 1, minutes: 0 })).toEqual({
      affinity: 0.2,
      trust: 0.55,
      respect: 0.55,
      intimacy: 0.02,
      interactionCount: 1,
    });
  });

  it('loses trust faster than it gains it', () => {
    const bad = updateRelationship(NEW_RELATIONSHIP, { quality: 0, minutes: 0 });
    expect(bad).toEqual({ affinity: -0.2, trust: 0.35, respect: 0.45, intimacy: 0, interactionCount: 1 });
    const meh = updateRelationship(NEW_RELATIONSHIP, { quality: 0.25, minutes: 30 });
    expect(meh).toEqual({
      affinity: -0.1,
      trust: 0.425,
      respect: 0.475,
      intimacy: 0.02,
      interactionCount: 1,
    });
  });

  it('becomes a friendship after two perfect interactions', () => {
    const once = updateRelationship(NEW_RELATIONSHIP, { quality: 1, minutes: 0 });
    const twice = updateRelationship(once, { quality: 1, minutes: 0 });
    expect(twice).toEqual({
      affinity: 0.36,
      trust: 0.595,
      respect: 0.595,
      intimacy: 0.0396,
      interactionCount: 2,
    });
    expect(relationshipType(once)).toBe('acquaintance');
    expect(relationshipType(twice)).toBe('friend');
  });
});

describe('relationshipType', () => {
  const r = (affinity: number, trust: number, respect: number, intimacy: number, interactionCount = 5) =>
    ({ affinity, trust, respect, intimacy, interactionCount }) satisfies RelationshipValues;
  it.each([
    [r(0.9, 0.9, 0.9, 0.9, 0), 'stranger'],
    [r(-0.6, 0.5, 0.5, 0), 'adversary'],
    [r(-0.5, 0.5, 0.6, 0), 'rival'],
    [r(-0.2, 0.5, 0.5, 0), 'strained'],
    [r(0.6, 0.7, 0.5, 0.5), 'close_friend'],
    [r(0.6, 0.7, 0.5, 0.49), 'friend'],
    [r(0.3, 0.55, 0.5, 0), 'friend'],
    [r(0.1, 0.5, 0.7, 0), 'respected_colleague'],
    [r(-0.1, 0.5, 0.5, 0), 'acquaintance'],
  ])('%j → %s', (values, type) => {
    expect(relationshipType(values)).toBe(type);
  });
});
