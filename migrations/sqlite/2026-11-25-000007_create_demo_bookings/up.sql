-- The built-in demo PMS's bookings (PII: the guest's name, e-mail and phone). A booking holds a
-- room of its type on each night from check_in to the day before check_out while its status is
-- not cancelled or refunded. children_ages is a JSON array of ages; the total is in hundredths
-- of the currency. No foreign key to tenants: the demo PMS stands in for an external system.
CREATE TABLE demo_bookings (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        TEXT NOT NULL,
    reference        TEXT NOT NULL,
    room_type        TEXT NOT NULL,
    check_in         DATE NOT NULL,
    check_out        DATE NOT NULL,
    adults           INTEGER NOT NULL,
    children_ages    TEXT NOT NULL,
    guest_first_name TEXT NOT NULL,
    guest_last_name  TEXT NOT NULL,
    guest_email      TEXT NOT NULL,
    guest_phone      TEXT,
    status           TEXT NOT NULL,
    total_minor      BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    CONSTRAINT demo_bookings_reference_key UNIQUE (tenant_id, reference),
    CONSTRAINT demo_bookings_stay_check CHECK (check_out > check_in)
);

-- The bookings of one room type that overlap a stay: check_in < stay's check_out and
-- check_out > stay's check_in.
CREATE INDEX demo_bookings_overlap_idx ON demo_bookings (tenant_id, room_type, check_in, check_out);
