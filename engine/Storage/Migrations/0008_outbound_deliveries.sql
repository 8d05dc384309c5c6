-- 0008: outbound deliveries (issue 7): webhook endpoints, conversion actions, and the durable outbox every outbound
-- HTTP request (a webhook or a conversion upload) goes through, with its attempt log.

-- The country whose national numbers a caller id without + or 00 is read in (ISO 3166-1 alpha-2), for the E.164
-- normalisation that hashed-phone conversions need.
ALTER TABLE organisations ADD COLUMN phone_country text NOT NULL DEFAULT 'US' CHECK (phone_country ~ '^[A-Z]{2}$');

CREATE TABLE webhook_endpoints (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id  uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    url              text NOT NULL CHECK (url ~ '^https?://'),
    -- The HMAC-SHA256 key of the CallTracking-Signature header (shown once at creation, kept to sign).
    secret           text NOT NULL CHECK (length(secret) >= 16),
    -- Webhook event types this endpoint wants; empty: all of them.
    events           text[] NOT NULL DEFAULT '{}',
    enabled          boolean NOT NULL DEFAULT true,
    description      text NULL,
    -- The last event id when it was made (set by trigger): its organisation's cursor starts here, not before.
    start_event_id   bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX webhook_endpoints_organisation ON webhook_endpoints (organisation_id) WHERE enabled;

-- A conversion action: which calls count (rules), what they are worth, and where they go (platform + settings).
CREATE TABLE conversion_actions (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name              text NOT NULL,
    platform          text NOT NULL CHECK (platform IN ('google_ads', 'ga4', 'meta', 'microsoft_ads')),
    -- The conversion's name (or resource name / event name) at the platform.
    conversion_name   text NOT NULL,
    min_talk_seconds  numeric NOT NULL DEFAULT 0 CHECK (min_talk_seconds >= 0),
    required_tag      text NULL,
    min_score         int NULL,
    value             numeric NULL,
    currency          text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    -- Upload when a qualifying call ends (false: export only).
    send              boolean NOT NULL DEFAULT false,
    -- The platform's endpoint and credentials (endpoint, measurement_id, api_secret, pixel_id, access_token, ...).
    settings          jsonb NOT NULL DEFAULT '{}',
    enabled           boolean NOT NULL DEFAULT true,
    start_event_id    bigint NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

-- Whatever inserts an endpoint or action (API, provisioning, a script), it starts from the events committed by then:
-- events are not replayed from history, and events written with a back-dated occurred_at are not skipped.
CREATE FUNCTION outbound_start_event_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.start_event_id := (SELECT coalesce(max(id), 0) FROM events);
    RETURN NEW;
END
$$;

CREATE TRIGGER webhook_endpoints_start BEFORE INSERT ON webhook_endpoints FOR EACH ROW EXECUTE FUNCTION outbound_start_event_id();
CREATE TRIGGER conversion_actions_start BEFORE INSERT ON conversion_actions FOR EACH ROW EXECUTE FUNCTION outbound_start_event_id();

-- The last event id each consumer (webhooks, conversions) of each organisation has turned into deliveries. It moves
-- in the same transaction that inserts the deliveries, so a restart neither loses nor repeats an event.
CREATE TABLE outbound_cursors (
    organisation_id  uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    consumer         text NOT NULL CHECK (consumer IN ('webhooks', 'conversions')),
    last_event_id    bigint NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, consumer)
);

-- The outbox. id is the delivery id the receiver de-duplicates on (CallTracking-Delivery header).
CREATE TABLE outbound_deliveries (
    id                    uuid PRIMARY KEY,
    organisation_id       uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind                  text NOT NULL CHECK (kind IN ('webhook', 'conversion')),
    webhook_id            uuid NULL REFERENCES webhook_endpoints (id) ON DELETE SET NULL,
    conversion_action_id  uuid NULL REFERENCES conversion_actions (id) ON DELETE SET NULL,
    call_id               uuid NULL,
    event_id              bigint NULL,
    event_type            text NOT NULL,
    url                   text NOT NULL,
    body                  text NOT NULL,
    -- queued: waiting for its next attempt; sending: an engine holds it (until locked_until); sent: the receiver
    -- answered 2xx; accepted: the platform answered 2xx and reported no error; rejected: the receiver refused it
    -- for good (remote_reason); failed: no retries left.
    status                text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'accepted', 'rejected', 'failed')),
    attempts              int NOT NULL DEFAULT 0,
    max_attempts          int NOT NULL CHECK (max_attempts >= 1),
    next_attempt_at       timestamptz NOT NULL,
    locked_by             text NULL,
    locked_until          timestamptz NULL,
    last_status_code      int NULL,
    last_error            text NULL,
    remote_reason         text NULL,
    replay_of             uuid NULL REFERENCES outbound_deliveries (id) ON DELETE SET NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    completed_at          timestamptz NULL
);

-- What engines claim: due queued rows and rows whose holder's lease ran out.
CREATE INDEX outbound_deliveries_due ON outbound_deliveries (next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX outbound_deliveries_webhook ON outbound_deliveries (webhook_id, created_at DESC);
CREATE INDEX outbound_deliveries_organisation ON outbound_deliveries (organisation_id, created_at DESC);
-- One upload per action and call (replays aside), however often the call's events are seen.
CREATE UNIQUE INDEX outbound_deliveries_conversion_once ON outbound_deliveries (conversion_action_id, call_id)
    WHERE kind = 'conversion' AND replay_of IS NULL;

CREATE TABLE outbound_attempts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id   uuid NOT NULL REFERENCES outbound_deliveries (id) ON DELETE CASCADE,
    attempt       int NOT NULL,
    engine        text NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL,
    status_code   int NULL,
    error         text NULL,
    response      text NULL
);

CREATE INDEX outbound_attempts_delivery ON outbound_attempts (delivery_id, attempt);
