-- Every answer the action server produced (Action, Yield, follow-up questions), generated or
-- not, so the host and `pnpm bench` can report models, tokens, latency and citations.
CREATE TABLE generation_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at TEXT NOT NULL,
  -- 'action' (action_respond), 'yield' (action_yield), 'followup' (action_followup)
  phase TEXT NOT NULL CHECK (phase IN ('action', 'yield', 'followup')),
  -- 'generated': a model wrote it; 'extractive': no model configured, built from priors;
  -- 'degraded': the model failed and the extractive answer stood in; 'failed': no output
  outcome TEXT NOT NULL CHECK (outcome IN ('generated', 'extractive', 'degraded', 'failed')),
  generated INTEGER NOT NULL CHECK (generated IN (0, 1)),
  -- 'sampling' or 'provider' when a model was asked
  via TEXT,
  model TEXT,
  input_tokens INTEGER,
  output_tokens INTEGER,
  latency_ms INTEGER,
  conversation_id TEXT,
  cycle INTEGER,
  -- JSON arrays of prior ids
  cited_ids TEXT NOT NULL DEFAULT '[]',
  dropped_ids TEXT NOT NULL DEFAULT '[]',
  should_continue INTEGER,
  -- why the output is degraded or failed (error code and message)
  reason TEXT,
  output TEXT NOT NULL DEFAULT ''
);
CREATE INDEX generation_log_phase ON generation_log (phase, id);
CREATE INDEX generation_log_conversation ON generation_log (conversation_id, id);
