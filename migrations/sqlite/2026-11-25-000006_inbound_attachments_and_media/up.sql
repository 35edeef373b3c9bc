-- What came with a guest's message besides its text: media reference, location or contact
-- cards, as the JSON of an Attachment.
ALTER TABLE inbound_messages ADD COLUMN attachment TEXT;

-- Guest media downloaded from the provider, stored by content hash (PII: kept for the
-- tenant's retention period, then purged with its file).
CREATE TABLE media_files (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    inbound_id        BIGINT NOT NULL REFERENCES inbound_messages (id) ON DELETE CASCADE,
    provider_media_id TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    mime_type         TEXT NOT NULL,
    size_bytes        BIGINT NOT NULL,
    stored_at         TIMESTAMP NOT NULL,
    CONSTRAINT media_files_inbound_key UNIQUE (inbound_id)
);

CREATE INDEX media_files_stored_at_idx ON media_files (stored_at);
CREATE INDEX media_files_hash_idx ON media_files (tenant_id, sha256);
