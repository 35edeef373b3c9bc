-- Hotels served by this deployment. Timestamps are UTC.
CREATE TABLE tenants (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    phone_number_id  TEXT UNIQUE,
    timezone         TEXT NOT NULL,
    default_language TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
