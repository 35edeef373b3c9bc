-- The durable inbox: one row per guest message, unique per tenant and provider message id.
CREATE TABLE inbound_messages (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id           TEXT NOT NULL REFERENCES tenants (id),
    provider_message_id TEXT NOT NULL,
    phone_number_id     TEXT NOT NULL,
    wa_id               TEXT NOT NULL,
    profile_name        TEXT,
    kind                TEXT NOT NULL,
    text                TEXT,
    reply_id            TEXT,
    context_message_id  TEXT,
    sent_at             TIMESTAMP NOT NULL,
    received_at         TIMESTAMP NOT NULL,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'processing', 'done', 'failed')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMP NOT NULL,
    locked_by           TEXT,
    locked_until        TIMESTAMP,
    last_error          TEXT,
    processed_at        TIMESTAMP,
    CONSTRAINT inbound_messages_tenant_provider_message_key UNIQUE (tenant_id, provider_message_id)
);

-- Claiming: due pending rows and expired leases (plain indexes: a partial index is not used
-- when the statuses arrive as bound parameters).
CREATE INDEX inbound_messages_claim_idx ON inbound_messages (status, id);

-- Per-conversation ordering: the unfinished rows of one guest.
CREATE INDEX inbound_messages_conversation_idx ON inbound_messages (tenant_id, wa_id, status, sent_at);
