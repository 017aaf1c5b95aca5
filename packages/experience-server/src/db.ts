/** The experience database's tables as Kysely sees them (migrations/experience/0001_experiences.sql). */
import type { Generated } from 'kysely';

export interface ExperiencesTable {
  seq: Generated<number>;
  content: string;
  content_key: string;
  role: string;
  phase: string | null;
  thread_id: string | null;
  author: string | null;
  /** JSON object, or null. */
  metadata: string | null;
  /** JSON array of strings. */
  tags: Generated<string>;
  max_similarity: number;
  novelty: number;
  novelty_reward: number;
  created_at: string;
}

export type LinkType = 'relates' | 'supports' | 'contradicts' | 'elaborates';
export const LINK_TYPES = ['relates', 'supports', 'contradicts', 'elaborates'] as const;

export interface ExperienceLinksTable {
  source_seq: number;
  target_seq: number;
  type: LinkType;
  weight: number;
  origin: 'model' | 'similarity' | 'caller';
  created_at: string;
}

export interface ExperienceCitationsTable {
  citing_seq: number;
  cited_seq: number;
  reward: number;
  created_at: string;
}

export type RewardKind = 'novelty' | 'citation';

export interface ExperienceRewardsTable {
  id: Generated<number>;
  experience_seq: number;
  kind: RewardKind;
  amount: number;
  author: string | null;
  thread_id: string | null;
  source_seq: number | null;
  created_at: string;
}

export interface ExperienceDB {
  experiences: ExperiencesTable;
  experience_links: ExperienceLinksTable;
  experience_citations: ExperienceCitationsTable;
  experience_rewards: ExperienceRewardsTable;
}
