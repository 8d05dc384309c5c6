-- 0002: wake every engine node's event feed when events commit, and the secret that signs recording links.

-- NOTIFY is transactional: listeners hear it only when (and if) the inserting transaction commits, so a
-- notification never points at an event a reader cannot see yet. The payload is the last id of the statement;
-- readers treat it as a hint and always read "id > cursor", so coalesced or lost notifications only delay.
CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('calltracking_events', (SELECT coalesce(max(id), 0)::text FROM inserted_events));
    RETURN NULL;
END
$$;

CREATE TRIGGER events_notify AFTER INSERT ON events
    REFERENCING NEW TABLE AS inserted_events
    FOR EACH STATEMENT EXECUTE FUNCTION events_notify();

-- Secrets shared by every node (HMAC keys for signed media links). Created on first use; a row is never
-- updated, so a link signed by one node verifies on every other.
CREATE TABLE signing_keys (
    purpose     text PRIMARY KEY,
    secret      bytea NOT NULL CHECK (length(secret) >= 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);
