-- Status callbacks from the provider, one row per (message, status); errors is a JSON array.
CREATE TABLE delivery_statuses (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_message_id TEXT NOT NULL,
    phone_number_id     TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
    recipient           TEXT,
    occurred_at         TIMESTAMP NOT NULL,
    errors              TEXT NOT NULL,
    received_at         TIMESTAMP NOT NULL,
    CONSTRAINT delivery_statuses_message_status_key UNIQUE (provider_message_id, status)
);
