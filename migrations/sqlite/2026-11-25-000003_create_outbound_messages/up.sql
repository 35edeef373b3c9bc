-- The outbox: replies to deliver through the provider, in order per conversation.
-- body is the JSON of an OutboundBody.
CREATE TABLE outbound_messages (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id           TEXT NOT NULL REFERENCES tenants (id),
    phone_number_id     TEXT NOT NULL,
    wa_id               TEXT NOT NULL,
    inbound_id          BIGINT REFERENCES inbound_messages (id),
    body                TEXT NOT NULL,
    reply_to            TEXT,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sending', 'accepted', 'sent', 'delivered', 'read',
                                          'failed', 'dead')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMP NOT NULL,
    locked_by           TEXT,
    locked_until        TIMESTAMP,
    provider_message_id TEXT UNIQUE,
    last_error          TEXT,
    error_code          BIGINT,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    final_at            TIMESTAMP
);

-- Claiming: due pending rows and expired leases.
CREATE INDEX outbound_messages_claim_idx ON outbound_messages (status, id);

-- Per-conversation ordering: the unsent rows of one guest.
CREATE INDEX outbound_messages_conversation_idx ON outbound_messages (tenant_id, wa_id, status, id);

-- Listing a tenant's messages, newest first.
CREATE INDEX outbound_messages_tenant_idx ON outbound_messages (tenant_id, id);
