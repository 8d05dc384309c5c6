-- Dynamic number insertion (issue 7): sites that include /dni.js, traffic sources in priority order, per-visitor
-- number pools, visitor sessions and the leases that tie a pool number to one session at a time.
-- Every time here is written by the engine's clock (a parameter, never now()) so tests control it.

-- A website that includes /dni.js. public_key is in the page (not a secret); the secret (stored hashed) is for the
-- site's own back end calling the server-side assignment endpoint.
CREATE TABLE dni_sites (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id    uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name               text NOT NULL,
    public_key         text NOT NULL UNIQUE,
    secret_hash        bytea NOT NULL,
    -- Origins (scheme://host[:port]) whose pages may call the public endpoints (CORS). Empty: none.
    allowed_origins    text[] NOT NULL DEFAULT '{}',
    -- The business numbers printed on the site (E.164) that the script replaces.
    swap_numbers       text[] NOT NULL DEFAULT '{}',
    heartbeat_seconds  int NOT NULL DEFAULT 60 CHECK (heartbeat_seconds BETWEEN 5 AND 3600),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

-- A pool of tracking numbers handed out one per visitor session.
CREATE TABLE dni_pools (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id     uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name                text NOT NULL,
    -- Shown when every number is leased or cooling down.
    fallback_number_id  uuid NULL REFERENCES tracking_numbers (id) ON DELETE SET NULL,
    -- A lease lives this long after the last heartbeat.
    lease_seconds       int NOT NULL DEFAULT 1800 CHECK (lease_seconds BETWEEN 60 AND 86400),
    -- A released number rests this long before another visitor gets it; a call in that window is "recent".
    cooldown_seconds    int NOT NULL DEFAULT 600 CHECK (cooldown_seconds BETWEEN 0 AND 86400),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

-- A number belongs to at most one pool; it is an ordinary tracking number, so SIP already routes it.
CREATE TABLE dni_pool_numbers (
    tracking_number_id  uuid PRIMARY KEY REFERENCES tracking_numbers (id) ON DELETE CASCADE,
    pool_id             uuid NOT NULL REFERENCES dni_pools (id) ON DELETE CASCADE,
    added_at            timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX dni_pool_numbers_pool ON dni_pool_numbers (pool_id);

-- Which visitors a site's number swap applies to, tried in ascending priority; the first match wins.
CREATE TABLE dni_sources (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id     uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    site_id             uuid NOT NULL REFERENCES dni_sites (id) ON DELETE CASCADE,
    name                text NOT NULL,
    priority            int NOT NULL,
    -- landing_param: the landing page has query parameter match_param (equal to match_value when set);
    -- utm: utm_source (and utm_medium when set) equal, case-insensitively; referrer: the referrer's host is
    -- match_value or a subdomain of it; all: every visitor.
    match_kind          text NOT NULL CHECK (match_kind IN ('landing_param', 'utm', 'referrer', 'all')),
    match_param         text NULL,
    match_value         text NULL,
    match_utm_source    text NULL,
    match_utm_medium    text NULL,
    -- Exactly one of: a static number every matching visitor sees, or a pool.
    tracking_number_id  uuid NULL REFERENCES tracking_numbers (id) ON DELETE CASCADE,
    pool_id             uuid NULL REFERENCES dni_pools (id) ON DELETE RESTRICT,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((tracking_number_id IS NULL) <> (pool_id IS NULL)),
    UNIQUE (site_id, priority),
    UNIQUE (site_id, name)
);

-- One visit of one visitor. The typed columns are the session's last touch (updated when a later page of the same
-- session carries new campaign values); first_touch is the visitor's first recorded touch on the site (JSON object
-- with the same member names), kept for first-touch reports.
CREATE TABLE dni_sessions (
    id                  uuid PRIMARY KEY,
    organisation_id     uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    site_id             uuid NOT NULL REFERENCES dni_sites (id) ON DELETE CASCADE,
    visitor_id          text NOT NULL,
    source_id           uuid NULL REFERENCES dni_sources (id) ON DELETE SET NULL,
    pool_id             uuid NULL REFERENCES dni_pools (id) ON DELETE SET NULL,
    -- pool: a pool number is leased; static: a source's static number; unassigned: the pool was exhausted and the
    -- fallback is shown; none: no source matched (the page keeps its own number).
    assignment          text NOT NULL CHECK (assignment IN ('pool', 'static', 'unassigned', 'none')),
    tracking_number_id  uuid NULL REFERENCES tracking_numbers (id) ON DELETE SET NULL,
    number              text NULL,
    landing_page        text NULL,
    referrer            text NULL,
    utm_source          text NULL,
    utm_medium          text NULL,
    utm_campaign        text NULL,
    utm_term            text NULL,
    utm_content         text NULL,
    gclid               text NULL,
    gbraid              text NULL,
    wbraid              text NULL,
    msclkid             text NULL,
    fbclid              text NULL,
    ga_client_id        text NULL,
    ga_session_id       text NULL,
    user_agent          text NULL,
    ip_address          text NULL,
    first_touch         jsonb NOT NULL,
    started_at          timestamptz NOT NULL,
    last_seen_at        timestamptz NOT NULL
);

CREATE INDEX dni_sessions_site_visitor ON dni_sessions (site_id, visitor_id, last_seen_at DESC);
CREATE INDEX dni_sessions_organisation ON dni_sessions (organisation_id, started_at DESC);
CREATE INDEX dni_sessions_pool ON dni_sessions (pool_id, started_at) WHERE pool_id IS NOT NULL;

-- A pool number held by a session. Active while released_at is null; a lease past expires_at is closed lazily
-- (released_at = expires_at) by the next allocation in its pool, so the history keeps exact intervals for matching.
CREATE TABLE dni_leases (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pool_id             uuid NOT NULL REFERENCES dni_pools (id) ON DELETE CASCADE,
    tracking_number_id  uuid NOT NULL REFERENCES tracking_numbers (id) ON DELETE CASCADE,
    session_id          uuid NOT NULL REFERENCES dni_sessions (id) ON DELETE CASCADE,
    leased_at           timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL,
    released_at         timestamptz NULL,
    CHECK (expires_at > leased_at),
    CHECK (released_at IS NULL OR released_at >= leased_at)
);

-- The invariant that makes attribution exact: two sessions never hold one number at once, whatever the engine
-- nodes do. Allocation also locks the number row (FOR UPDATE SKIP LOCKED); this index is the guarantee.
CREATE UNIQUE INDEX dni_leases_one_holder ON dni_leases (tracking_number_id) WHERE released_at IS NULL;
CREATE UNIQUE INDEX dni_leases_one_per_session ON dni_leases (session_id) WHERE released_at IS NULL;
CREATE INDEX dni_leases_number_time ON dni_leases (tracking_number_id, leased_at DESC);
