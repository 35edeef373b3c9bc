-- Room holds: one room of a type kept aside for a guest over some nights while they pay (the
-- app's RoomHolds when no Redis is configured, so holds survive a restart). One row per hold and
-- night; every row of a hold carries the same id, holder, stay, expiry and extensions. A hold is
-- live while expires_at is later than the caller's "now": expired rows never count and are
-- purged by the hourly maintenance. stay lists every night of the hold (YYYY-MM-DD, ascending,
-- comma-separated): a holder has at most one live hold per (tenant, room type, stay). No foreign
-- key to tenants: the holds' scope is whatever the caller names.
CREATE TABLE room_holds (
    id         TEXT NOT NULL,
    night      DATE NOT NULL,
    tenant_id  TEXT NOT NULL,
    room_type  TEXT NOT NULL,
    holder     TEXT NOT NULL,
    stay       TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    extensions INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (id, night)
);

-- Counting the live holds of a room type on a night.
CREATE INDEX room_holds_night_idx ON room_holds (tenant_id, room_type, night, expires_at);
-- A holder's hold of a stay.
CREATE INDEX room_holds_holder_idx ON room_holds (tenant_id, room_type, holder);
-- Purging expired holds.
CREATE INDEX room_holds_expiry_idx ON room_holds (expires_at);
