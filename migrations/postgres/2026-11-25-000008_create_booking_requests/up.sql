-- Paid bookings waiting for a person to confirm the payment ([hotel.booking] confirmation =
-- "staff"), and what staff decided (PII: the guest's name, e-mail and WhatsApp id). One row per
-- tenant and booking reference (the PMS idempotency key the guest was given). total_minor and
-- deposit_minor are in hundredths of the currency. status: awaiting_confirmation, confirmed,
-- rejected, failed (the PMS refused the booking on confirmation; staff may retry or reject).
CREATE TABLE booking_requests (
    id              BIGSERIAL PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    wa_id           TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    reference       TEXT NOT NULL,
    room_type       TEXT NOT NULL,
    room_name       TEXT NOT NULL,
    check_in        DATE NOT NULL,
    check_out       DATE NOT NULL,
    adults          INTEGER NOT NULL,
    children        INTEGER NOT NULL,
    guest_name      TEXT NOT NULL,
    guest_email     TEXT NOT NULL,
    total_minor     BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    deposit_minor   BIGINT,
    language        TEXT,
    status          TEXT NOT NULL
                    CHECK (status IN ('awaiting_confirmation', 'confirmed', 'rejected', 'failed')),
    pms_booking_id  TEXT,
    decided_by      TEXT,
    decided_at      TIMESTAMP,
    decision_note   TEXT,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CONSTRAINT booking_requests_reference_key UNIQUE (tenant_id, reference),
    CONSTRAINT booking_requests_stay_check CHECK (check_out > check_in)
);

-- Staff's list: one tenant's requests in a status, oldest first.
CREATE INDEX booking_requests_status_idx ON booking_requests (tenant_id, status, created_at);
