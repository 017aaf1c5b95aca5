-- Helpers every server gets: a TTL cache and a key/value state table.
-- `scope` is the server's name, so servers sharing one remote libSQL database do not collide.
CREATE TABLE server_cache (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (scope, key)
);
CREATE INDEX server_cache_expiry ON server_cache (expires_at);

CREATE TABLE server_state (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);
