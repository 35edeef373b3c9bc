-- Write-through copy of the embedded session store; data is the JSON of the conversation.
CREATE TABLE conversation_sessions (
    tenant_id  TEXT NOT NULL,
    wa_id      TEXT NOT NULL,
    version    BIGINT NOT NULL,
    data       TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, wa_id)
);

CREATE INDEX conversation_sessions_expires_idx ON conversation_sessions (expires_at);
