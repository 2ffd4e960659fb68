-- The bridge's shared store: one feed and one cursor space for every instance on this database.
CREATE TABLE bridge_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

-- bigserial: a seq is never reused, even after the newest rows were compacted away.
CREATE TABLE bridge_events (
  seq bigserial PRIMARY KEY,
  event_id text NOT NULL,
  received_at bigint NOT NULL,
  body text NOT NULL
);
CREATE INDEX bridge_events_received_at ON bridge_events (received_at);

-- Outlives compacted events for a while, so a late redelivery is still recognised.
CREATE TABLE bridge_seen_event_ids (
  event_id text PRIMARY KEY,
  received_at bigint NOT NULL
);

CREATE TABLE bridge_cursor_sightings (
  seq bigint PRIMARY KEY,
  seen_at bigint NOT NULL
);

-- Per-device feed tokens: only the SHA-256 of a token is kept.
CREATE TABLE bridge_device_tokens (
  name text PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  created_at bigint NOT NULL,
  last_seen_at bigint
);
