-- The chat-history event log: conversations, their events, the idempotency ledger of appends,
-- running usage totals, and a full-text index kept in step by triggers.

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  title TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  -- Title or metadata changed.
  updated_at TEXT NOT NULL,
  -- Last append or import; the conversation list is ordered by it.
  last_activity_at TEXT NOT NULL,
  -- The seq the next appended event gets. Kept here rather than derived from MAX(seq), so no
  -- deletion (retention, a future event delete) can ever make a seq be handed out twice.
  next_seq INTEGER NOT NULL DEFAULT 1 CHECK (next_seq >= 1),
  -- Maintained by the triggers below: what is stored now, after retention.
  event_count INTEGER NOT NULL DEFAULT 0,
  token_total INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversations_by_activity ON conversations (last_activity_at DESC, id DESC);

CREATE TABLE chat_events (
  -- An INTEGER PRIMARY KEY gives the FTS index a rowid that VACUUM cannot renumber.
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  timestamp TEXT NOT NULL,
  type TEXT NOT NULL CHECK (
    type IN ('user_message', 'assistant_message', 'tool_call', 'tool_result', 'phase_output', 'system_update', 'meta')
  ),
  role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
  content TEXT NOT NULL,
  tool_calls TEXT,
  tool_call_id TEXT,
  model TEXT,
  usage TEXT,
  extra TEXT,
  token_count INTEGER NOT NULL CHECK (token_count >= 0),
  request_id TEXT
);
-- Serves paging by seq in both directions and the newest-first walk of history_context
-- (queries name it with INDEXED BY so a type filter cannot steer them onto a sort).
CREATE UNIQUE INDEX chat_events_seq ON chat_events (conversation_id, seq);
-- The newest user message of a conversation in one index probe.
CREATE INDEX chat_events_by_type ON chat_events (conversation_id, type, seq);

-- Which event issued each tool call id, so a tool_result finds its call with one index probe.
-- Rows follow their event (cascade), so a pruned call leaves its result visibly without one.
-- Some models reuse ids across turns: a result pairs with the newest issuer before it.
CREATE TABLE tool_call_refs (
  conversation_id TEXT NOT NULL,
  call_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event_pk INTEGER NOT NULL REFERENCES chat_events (pk) ON DELETE CASCADE,
  PRIMARY KEY (conversation_id, call_id, seq)
);
CREATE INDEX tool_call_refs_by_event ON tool_call_refs (event_pk);

-- One row per acknowledged append that carried a request_id. A batch's seqs are contiguous,
-- so first_seq and event_count give them back on a retry, even after retention pruned them.
CREATE TABLE append_requests (
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  request_id TEXT NOT NULL,
  first_seq INTEGER NOT NULL,
  event_count INTEGER NOT NULL CHECK (event_count >= 1),
  -- Hash of the batch's events, so a request_id reused for different events is refused.
  fingerprint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (conversation_id, request_id)
);

-- Usage per conversation and model. Only ever added to on insert, so retention pruning old
-- events does not erase what the conversation cost; deleting the conversation does.
CREATE TABLE usage_totals (
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, model)
);

CREATE VIRTUAL TABLE chat_events_fts USING fts5 (
  content,
  content = 'chat_events',
  content_rowid = 'pk',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER chat_events_after_insert AFTER INSERT ON chat_events BEGIN
  INSERT INTO chat_events_fts (rowid, content) VALUES (new.pk, new.content);
  UPDATE conversations
    SET event_count = event_count + 1, token_total = token_total + new.token_count
    WHERE id = new.conversation_id;
END;

CREATE TRIGGER chat_events_after_delete AFTER DELETE ON chat_events BEGIN
  INSERT INTO chat_events_fts (chat_events_fts, rowid, content) VALUES ('delete', old.pk, old.content);
  UPDATE conversations
    SET event_count = event_count - 1, token_total = token_total - old.token_count
    WHERE id = old.conversation_id;
END;

CREATE TRIGGER chat_events_after_update AFTER UPDATE OF content, token_count ON chat_events BEGIN
  INSERT INTO chat_events_fts (chat_events_fts, rowid, content) VALUES ('delete', old.pk, old.content);
  INSERT INTO chat_events_fts (rowid, content) VALUES (new.pk, new.content);
  UPDATE conversations
    SET token_total = token_total - old.token_count + new.token_count
    WHERE id = new.conversation_id;
END;

CREATE TRIGGER chat_events_usage AFTER INSERT ON chat_events WHEN new.usage IS NOT NULL BEGIN
  INSERT INTO usage_totals (conversation_id, model, input_tokens, output_tokens, cost_usd, events)
  VALUES (
    new.conversation_id,
    COALESCE(new.model, ''),
    COALESCE(json_extract(new.usage, '$.input_tokens'), 0),
    COALESCE(json_extract(new.usage, '$.output_tokens'), 0),
    COALESCE(json_extract(new.usage, '$.cost_usd'), 0),
    1
  )
  ON CONFLICT (conversation_id, model) DO UPDATE SET
    input_tokens = input_tokens + excluded.input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_usd = cost_usd + excluded.cost_usd,
    events = events + 1;
END;

CREATE TRIGGER chat_events_call_refs AFTER INSERT ON chat_events
WHEN new.tool_calls IS NOT NULL OR (new.type = 'tool_call' AND new.tool_call_id IS NOT NULL) BEGIN
  INSERT OR IGNORE INTO tool_call_refs (conversation_id, call_id, seq, event_pk)
    SELECT new.conversation_id, json_extract(value, '$.id'), new.seq, new.pk
    FROM json_each(COALESCE(new.tool_calls, '[]'))
    WHERE json_extract(value, '$.id') IS NOT NULL;
  INSERT OR IGNORE INTO tool_call_refs (conversation_id, call_id, seq, event_pk)
    SELECT new.conversation_id, new.tool_call_id, new.seq, new.pk
    WHERE new.type = 'tool_call' AND new.tool_call_id IS NOT NULL;
END;
