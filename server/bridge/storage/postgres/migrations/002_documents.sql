-- Proof documents uploaded by devices, served at expiring capability links from any instance.
CREATE TABLE bridge_documents (
  capability_hash text PRIMARY KEY,
  content_type text NOT NULL,
  body bytea NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX bridge_documents_expires_at ON bridge_documents (expires_at);
