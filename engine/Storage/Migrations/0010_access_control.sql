-- 0010: the audit trail (append-only, hash-chained), roles on API keys and dashboard users, and the paused spans of
-- a recording (PCI pause). See engine/Privacy/AuditTrail.cs for the chain's canonical encoding.

CREATE TABLE audit_log (
    -- Contiguous from 1: a gap is a removed entry (AuditTrail.VerifyAsync reports it).
    seq              bigint PRIMARY KEY,
    occurred_at      timestamptz NOT NULL,
    actor            text NOT NULL,
    organisation_id  uuid NULL,
    action           text NOT NULL,
    subject          text NOT NULL,
    -- Canonical JSON as hashed (text, not jsonb: jsonb would re-order and re-space it and break the hash).
    details          text NULL,
    prev_hash        bytea NOT NULL,
    hash             bytea NOT NULL
);

CREATE INDEX audit_log_organisation ON audit_log (organisation_id, seq);

-- Append-only: no role may change or remove an entry through SQL. A superuser can still bypass this (disable the
-- trigger, or session_replication_role = replica): that is what the hash chain is for.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- Roles (engine/Security/Role.cs). Existing keys and users keep what they could do: organisation admin, or agency
-- admin where their organisation has client organisations (only an agency admin sees the clients).
ALTER TABLE api_keys ADD COLUMN role text NOT NULL DEFAULT 'org_admin'
    CHECK (role IN ('agency_admin', 'org_admin', 'manager', 'analyst', 'agent'));
ALTER TABLE dashboard_users ADD COLUMN role text NOT NULL DEFAULT 'org_admin'
    CHECK (role IN ('agency_admin', 'org_admin', 'manager', 'analyst', 'agent'));
-- An agent's own calls: those bridged to this destination (call_legs.destination, e.g. sip:desk@10.0.0.5).
ALTER TABLE api_keys ADD COLUMN agent_destination text NULL;
ALTER TABLE dashboard_users ADD COLUMN agent_destination text NULL;
UPDATE api_keys k SET role = 'agency_admin'
    WHERE EXISTS (SELECT 1 FROM organisations c WHERE c.parent_id = k.organisation_id);
UPDATE dashboard_users u SET role = 'agency_admin'
    WHERE EXISTS (SELECT 1 FROM organisations c WHERE c.parent_id = u.organisation_id);

-- PCI pause: the spans of the recording that are silence, [{"startMs": …, "endMs": …}], in recording time.
ALTER TABLE recordings ADD COLUMN paused_spans jsonb NOT NULL DEFAULT '[]';
