-- 0003: dashboard sign-in by user name and password. A user belongs to one organisation and sees what an API key
-- of that organisation sees. Passwords are stored as a self-describing PBKDF2 string (algorithm, iterations, salt,
-- hash) so the iteration count can be raised later without a migration; sessions store only the SHA-256 of their
-- token, as api_keys do.

CREATE TABLE dashboard_users (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id  uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- Stored as typed; unique and looked up case-insensitively (lower(username)).
    username         text NOT NULL,
    password_hash    text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at  timestamptz NULL,
    disabled         boolean NOT NULL DEFAULT false
);

CREATE UNIQUE INDEX dashboard_users_username ON dashboard_users (lower(username));

CREATE TABLE dashboard_sessions (
    token_hash  bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES dashboard_users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

CREATE INDEX dashboard_sessions_user ON dashboard_sessions (user_id);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at);
