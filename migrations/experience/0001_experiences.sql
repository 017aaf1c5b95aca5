-- The experience server's memory: messages and phase outputs, their full-text index, typed
-- links between them, citations, and the reward ledger.
--
-- Vectors live in a separate table, experience_vectors_<generation>, created in code on first
-- use: its F32_BLOB(n) width comes from the configured embedder, which a static migration
-- cannot know. server_state key `vector_space` records which embedder and dimension built it.

-- seq is the id (`exp_<seq>`). AUTOINCREMENT: a deleted id is never handed out again, so an old
-- citation can never point at a different message.
CREATE TABLE experiences (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  content TEXT NOT NULL,
  -- sha256 of the normalised content: finds exact repeats without comparing text.
  content_key TEXT NOT NULL,
  role TEXT NOT NULL,
  phase TEXT,
  thread_id TEXT,
  author TEXT,
  metadata TEXT,
  -- JSON array of lowercase tags.
  tags TEXT NOT NULL DEFAULT '[]',
  max_similarity REAL NOT NULL,
  novelty REAL NOT NULL,
  novelty_reward REAL NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX experiences_content_key ON experiences (content_key, thread_id);
CREATE INDEX experiences_thread ON experiences (thread_id, seq);
CREATE INDEX experiences_author ON experiences (author);

-- External-content FTS5 index over content and tags, kept in step by the triggers below.
CREATE VIRTUAL TABLE experiences_fts USING fts5(
  content,
  tags,
  content = 'experiences',
  content_rowid = 'seq',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER experiences_fts_insert AFTER INSERT ON experiences BEGIN
  INSERT INTO experiences_fts (rowid, content, tags) VALUES (new.seq, new.content, new.tags);
END;

CREATE TRIGGER experiences_fts_delete AFTER DELETE ON experiences BEGIN
  INSERT INTO experiences_fts (experiences_fts, rowid, content, tags)
  VALUES ('delete', old.seq, old.content, old.tags);
END;

CREATE TRIGGER experiences_fts_update AFTER UPDATE OF content, tags ON experiences BEGIN
  INSERT INTO experiences_fts (experiences_fts, rowid, content, tags)
  VALUES ('delete', old.seq, old.content, old.tags);
  INSERT INTO experiences_fts (rowid, content, tags) VALUES (new.seq, new.content, new.tags);
END;

-- Typed, weighted links from one experience to another (Observation phase, or given at record).
CREATE TABLE experience_links (
  source_seq INTEGER NOT NULL REFERENCES experiences (seq) ON DELETE CASCADE,
  target_seq INTEGER NOT NULL REFERENCES experiences (seq) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('relates', 'supports', 'contradicts', 'elaborates')),
  weight REAL NOT NULL CHECK (weight >= 0 AND weight <= 1),
  -- Who decided the link: 'model', 'similarity' (no-model observation) or 'caller'.
  origin TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (source_seq, target_seq, type),
  CHECK (source_seq <> target_seq)
);
CREATE INDEX experience_links_target ON experience_links (target_seq);

CREATE TABLE experience_citations (
  citing_seq INTEGER NOT NULL REFERENCES experiences (seq) ON DELETE CASCADE,
  cited_seq INTEGER NOT NULL REFERENCES experiences (seq) ON DELETE CASCADE,
  reward REAL NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (citing_seq, cited_seq),
  CHECK (citing_seq <> cited_seq)
);
CREATE INDEX experience_citations_cited ON experience_citations (cited_seq);

-- Every reward paid, append-only. author and thread_id are copied from the rewarded experience
-- so totals group without a join. Deleting an experience deletes its rewards: delete means gone.
CREATE TABLE experience_rewards (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  experience_seq INTEGER NOT NULL REFERENCES experiences (seq) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('novelty', 'citation')),
  amount REAL NOT NULL CHECK (amount > 0),
  author TEXT,
  thread_id TEXT,
  -- For a citation reward, the citing experience.
  source_seq INTEGER REFERENCES experiences (seq) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX experience_rewards_experience ON experience_rewards (experience_seq);
CREATE INDEX experience_rewards_author ON experience_rewards (author);
CREATE INDEX experience_rewards_thread ON experience_rewards (thread_id);
