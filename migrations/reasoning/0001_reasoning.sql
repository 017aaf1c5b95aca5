-- The reasoning server's state, all of it on disk so a restart loses nothing: sessions and
-- their thoughts, tree branches with cross-references, checkpoint snapshots for backtracking,
-- graph-of-thoughts nodes and edges, and one row per tool invocation for metrics.
--
-- References inside a session are DEFERRABLE INITIALLY DEFERRED: a branch points at the
-- thought it grew from and that thought's children point back at the branch, so an import
-- inserts both in one transaction and the database checks them at commit.

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  mode TEXT NOT NULL,
  title TEXT,
  -- The branch reasoning_linear appends to when no branch_id is given (set by reasoning_tree_focus).
  active_branch_id TEXT REFERENCES branches (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata))
);
CREATE INDEX sessions_updated ON sessions (updated_at DESC, id);

CREATE TABLE branches (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  name TEXT,
  parent_branch_id TEXT REFERENCES branches (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  origin_thought_id TEXT REFERENCES thoughts (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'abandoned')),
  confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
  summary TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata))
);
CREATE INDEX branches_session ON branches (session_id, created_at);

-- row_id gives the full-text index a stable integer key (a TEXT primary key's implicit rowid
-- may change on VACUUM).
CREATE TABLE thoughts (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  -- Order within the session; checkpoints remember the last seq they covered.
  seq INTEGER NOT NULL CHECK (seq >= 1),
  content TEXT NOT NULL CHECK (length(content) > 0),
  confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
  mode TEXT NOT NULL,
  -- step, root, branch, perspective, synthesis, input, improved, backtrack
  kind TEXT NOT NULL DEFAULT 'step',
  parent_id TEXT REFERENCES thoughts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  branch_id TEXT REFERENCES branches (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'abandoned')),
  generated INTEGER NOT NULL DEFAULT 0 CHECK (generated IN (0, 1)),
  model TEXT,
  created_at TEXT NOT NULL,
  metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
  UNIQUE (session_id, seq)
);
CREATE INDEX thoughts_parent ON thoughts (parent_id);
CREATE INDEX thoughts_branch ON thoughts (branch_id, seq);

CREATE VIRTUAL TABLE thoughts_fts USING fts5 (
  content,
  content = 'thoughts',
  content_rowid = 'row_id',
  tokenize = 'porter unicode61'
);
CREATE TRIGGER thoughts_fts_insert AFTER INSERT ON thoughts BEGIN
  INSERT INTO thoughts_fts (rowid, content) VALUES (new.row_id, new.content);
END;
CREATE TRIGGER thoughts_fts_delete AFTER DELETE ON thoughts BEGIN
  INSERT INTO thoughts_fts (thoughts_fts, rowid, content) VALUES ('delete', old.row_id, old.content);
END;
CREATE TRIGGER thoughts_fts_update AFTER UPDATE OF content ON thoughts BEGIN
  INSERT INTO thoughts_fts (thoughts_fts, rowid, content) VALUES ('delete', old.row_id, old.content);
  INSERT INTO thoughts_fts (rowid, content) VALUES (new.row_id, new.content);
END;

CREATE TABLE cross_refs (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  from_branch_id TEXT NOT NULL REFERENCES branches (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  to_branch_id TEXT NOT NULL REFERENCES branches (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  ref_type TEXT NOT NULL CHECK (ref_type IN ('supports', 'contradicts', 'extends', 'alternative', 'depends')),
  reason TEXT,
  strength REAL CHECK (strength IS NULL OR (strength >= 0 AND strength <= 1)),
  created_at TEXT NOT NULL,
  CHECK (from_branch_id <> to_branch_id)
);
CREATE INDEX cross_refs_session ON cross_refs (session_id);

-- A snapshot is a JSON document with a version; an unserialisable state is an error, never ''.
CREATE TABLE checkpoints (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  branch_id TEXT REFERENCES branches (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL,
  description TEXT,
  snapshot TEXT NOT NULL CHECK (json_valid(snapshot) AND json_extract(snapshot, '$.version') IS NOT NULL),
  created_at TEXT NOT NULL,
  UNIQUE (session_id, name)
);
CREATE INDEX checkpoints_session ON checkpoints (session_id, created_at);

CREATE TABLE graph_nodes (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  content TEXT NOT NULL CHECK (length(content) > 0),
  node_type TEXT NOT NULL CHECK (node_type IN ('root', 'generated', 'aggregate', 'refined')),
  score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
  score_rationale TEXT,
  depth INTEGER NOT NULL DEFAULT 0 CHECK (depth >= 0),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pruned')),
  is_terminal INTEGER NOT NULL DEFAULT 0 CHECK (is_terminal IN (0, 1)),
  generated INTEGER NOT NULL DEFAULT 0 CHECK (generated IN (0, 1)),
  model TEXT,
  created_at TEXT NOT NULL,
  metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
  UNIQUE (session_id, seq)
);
CREATE UNIQUE INDEX graph_nodes_one_root ON graph_nodes (session_id) WHERE node_type = 'root';

CREATE TABLE graph_edges (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  from_node TEXT NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  to_node TEXT NOT NULL REFERENCES graph_nodes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  edge_type TEXT NOT NULL CHECK (edge_type IN ('generates', 'aggregates', 'refines', 'supports', 'depends')),
  weight REAL NOT NULL DEFAULT 1.0 CHECK (weight >= 0 AND weight <= 1),
  created_at TEXT NOT NULL,
  CHECK (from_node <> to_node),
  UNIQUE (from_node, to_node)
);
CREATE INDEX graph_edges_to ON graph_edges (to_node);
CREATE INDEX graph_edges_session ON graph_edges (session_id);

-- One row per mode invocation that reached the model or the no-model path (rejected input is
-- not recorded: it did no work). No foreign key: metrics outlive replaced sessions.
CREATE TABLE invocations (
  id INTEGER PRIMARY KEY,
  tool TEXT NOT NULL,
  mode TEXT NOT NULL,
  -- sampling | <provider name, e.g. langbase> | cache | none
  provider TEXT NOT NULL,
  model TEXT,
  session_id TEXT,
  success INTEGER NOT NULL CHECK (success IN (0, 1)),
  error_code TEXT,
  latency_ms REAL NOT NULL CHECK (latency_ms >= 0),
  created_at TEXT NOT NULL
);
CREATE INDEX invocations_mode ON invocations (mode, provider);
CREATE INDEX invocations_created ON invocations (created_at);
