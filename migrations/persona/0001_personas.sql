-- Personas, their interaction state, relationships, memories and conversations.
-- Times are ISO-8601 UTC text (Date.prototype.toISOString), so they sort and compare as text.

CREATE TABLE personas (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- Lower-cased, NFKC-normalised name: names are unique regardless of case.
  name_key TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  traits TEXT NOT NULL,              -- JSON array of strings
  backstory TEXT NOT NULL,
  speaking_style TEXT NOT NULL,
  fallback_responses TEXT NOT NULL,  -- JSON array of strings, said when no model is available
  built_in INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Values are as of `as_of`; recovery since then is computed when read, not stored by a timer.
CREATE TABLE persona_state (
  persona_id TEXT PRIMARY KEY REFERENCES personas(id) ON DELETE CASCADE,
  social_energy REAL NOT NULL,        -- 0..100
  interaction_fatigue REAL NOT NULL,  -- 0..100
  available_time REAL NOT NULL,       -- minutes of conversation left in the daily budget
  current_priority TEXT NOT NULL,     -- low | normal | high
  mood REAL NOT NULL,                 -- -1..1
  last_interaction TEXT,
  as_of TEXT NOT NULL,
  memory_upkeep_at TEXT
);

-- Directed: how `persona_id` regards `other_id` (a persona id, `user`, or another party's id).
CREATE TABLE relationships (
  persona_id TEXT NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
  other_id TEXT NOT NULL,
  affinity REAL NOT NULL,     -- -1..1
  trust REAL NOT NULL,        -- 0..1
  respect REAL NOT NULL,      -- 0..1
  intimacy REAL NOT NULL,     -- 0..1
  interaction_count INTEGER NOT NULL DEFAULT 0,
  last_interaction TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (persona_id, other_id)
);
CREATE INDEX relationships_other ON relationships (other_id);

CREATE TABLE memories (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  persona_id TEXT NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
  content TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  memory_type TEXT NOT NULL,
  importance REAL NOT NULL,          -- 0..1, as of `decayed_at`
  emotional_valence REAL NOT NULL,   -- -1..1
  visibility TEXT NOT NULL,          -- private | shared | public
  related_to TEXT,
  access_count INTEGER NOT NULL DEFAULT 0,
  last_accessed TEXT,
  created_at TEXT NOT NULL,
  decayed_at TEXT NOT NULL,
  UNIQUE (persona_id, content_hash)
);
CREATE INDEX memories_persona ON memories (persona_id, created_at);
CREATE INDEX memories_visibility ON memories (visibility, persona_id);

CREATE VIRTUAL TABLE memories_fts USING fts5(
  content,
  content = 'memories',
  content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts (rowid, content) VALUES (new.seq, new.content);
END;
CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, content) VALUES ('delete', old.seq, old.content);
END;
CREATE TRIGGER memories_fts_update AFTER UPDATE OF content ON memories BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, content) VALUES ('delete', old.seq, old.content);
  INSERT INTO memories_fts (rowid, content) VALUES (new.seq, new.content);
END;
-- The vector table (memory_vectors, F32_BLOB(<dimension>)) is created on first use, because its
-- dimension comes from the configured embedder; server_state key `embedder` records which one.

-- A chat between a persona and a person, or a conversation between two personas.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,                 -- chat | conversation
  persona_id TEXT NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
  partner_id TEXT NOT NULL,           -- `user` (or another party) for chats; a persona id for conversations
  topic TEXT,
  summary TEXT,
  summary_kind TEXT,                  -- model | extractive | mixed
  summarized_through INTEGER NOT NULL DEFAULT 0,  -- turns up to this number are folded into `summary`
  turn_count INTEGER NOT NULL DEFAULT 0,
  tokens_total INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,               -- active | expired | complete
  stop_reason TEXT,
  created_at TEXT NOT NULL,
  last_activity TEXT NOT NULL
);
CREATE INDEX sessions_lookup ON sessions (persona_id, partner_id, kind, last_activity);
CREATE INDEX sessions_partner ON sessions (partner_id);

CREATE TABLE turns (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  turn_number INTEGER NOT NULL,
  speaker_id TEXT NOT NULL,
  role TEXT NOT NULL,                 -- user | assistant
  content TEXT NOT NULL,
  response_type TEXT NOT NULL,        -- message | generated | fallback
  continue_score REAL,                -- persona turns only
  tokens INTEGER NOT NULL,            -- tokens of `content` (o200k_base)
  prompt_tokens INTEGER,              -- tokens of the request that produced a generated turn
  processing_ms INTEGER,
  model TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (session_id, turn_number)
);
