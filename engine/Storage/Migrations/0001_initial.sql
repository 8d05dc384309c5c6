-- 0001: organisations, keys, trunks, plans, campaigns, numbers, calls with their legs and recordings, and the
-- events outbox. Every id is a uuid except events.id, which only increases so subscribers can resume from it.

CREATE TABLE organisations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE,
    -- An agency and its client organisations.
    parent_id   uuid NULL REFERENCES organisations (id),
    time_zone   text NOT NULL DEFAULT 'UTC',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id  uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name             text NOT NULL,
    prefix           text NOT NULL UNIQUE,
    secret_hash      bytea NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_used_at     timestamptz NULL,
    revoked_at       timestamptz NULL
);

CREATE TABLE trunks (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name             text NOT NULL UNIQUE,
    organisation_id  uuid NULL REFERENCES organisations (id),
    definition       jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE routing_plans (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    name             text NOT NULL,
    definition       jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

CREATE TABLE campaigns (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    name             text NOT NULL,
    default_plan_id  uuid NULL REFERENCES routing_plans (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

CREATE TABLE tracking_numbers (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- E.164: + then up to 15 digits, country codes never start with 0.
    number           text NOT NULL UNIQUE CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    campaign_id      uuid NULL REFERENCES campaigns (id),
    plan_id          uuid NULL REFERENCES routing_plans (id),
    name             text NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calls (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id     uuid NOT NULL REFERENCES organisations (id),
    tracking_number_id  uuid NULL REFERENCES tracking_numbers (id) ON DELETE SET NULL,
    -- Kept as dialled so the call stays readable after its number is deleted.
    tracking_number     text NOT NULL,
    campaign_id         uuid NULL REFERENCES campaigns (id) ON DELETE SET NULL,
    trunk               text NULL,
    sip_call_id         text NOT NULL,
    twilio_call_sid     text NULL,
    caller_number       text NULL,
    caller_name         text NULL,
    caller_country      text NULL,
    caller_region       text NULL,
    started_at          timestamptz NOT NULL,
    answered_at         timestamptz NULL,
    ended_at            timestamptz NULL,
    ring_seconds        numeric NULL,
    talk_seconds        numeric NULL,
    -- NULL while the call is in progress.
    disposition         text NULL CHECK (disposition IN ('answered', 'no-answer', 'busy', 'failed', 'voicemail', 'abandoned')),
    hangup_by           text NULL CHECK (hangup_by IN ('caller', 'callee', 'engine')),
    sip_reason          text NULL,
    packets_lost        bigint NULL,
    jitter_ms           double precision NULL,
    mos                 double precision NULL
);

CREATE INDEX calls_organisation_started ON calls (organisation_id, started_at DESC);
CREATE INDEX calls_organisation_number ON calls (organisation_id, tracking_number);
CREATE INDEX calls_sip_call_id ON calls (sip_call_id);

CREATE TABLE call_legs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_id       uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    direction     text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    destination   text NULL,
    trunk         text NULL,
    sip_call_id   text NULL,
    started_at    timestamptz NOT NULL,
    answered_at   timestamptz NULL,
    ended_at      timestamptz NULL,
    final_status  int NULL,
    reason        text NULL
);

CREATE INDEX call_legs_call ON call_legs (call_id);

CREATE TABLE recordings (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_id      uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    path         text NULL,
    duration_ms  bigint NULL,
    bytes        bigint NULL,
    codec        text NULL,
    channels     int NULL,
    error        text NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX recordings_call ON recordings (call_id);

-- The outbox: written in the same transaction as the state each row describes.
CREATE TABLE events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  uuid NOT NULL,
    call_id          uuid NULL,
    kind             text NOT NULL,
    occurred_at      timestamptz NOT NULL DEFAULT now(),
    payload          jsonb NOT NULL
);

CREATE INDEX events_organisation_id ON events (organisation_id, id);
