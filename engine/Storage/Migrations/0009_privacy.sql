-- 0009: privacy (issue 8): data keys for encryption at rest, tombstones and the log of what was removed,
-- retention per organisation and campaign, encrypted transcript text.

-- One row per recording or transcript: its AES-256-GCM data key wrapped by the master key. Deleting the row is
-- crypto-shredding: every copy of the data (backups included) becomes unreadable. No foreign keys: a recording's
-- key is stored when the recording starts, before the call row may exist, and must outlive nothing.
CREATE TABLE data_keys (
    id              uuid PRIMARY KEY,
    purpose         text NOT NULL CHECK (purpose IN ('recording', 'transcript')),
    call_id         uuid NULL,
    recording_path  text NULL,
    master_key_id   text NOT NULL,
    wrapped_key     bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX data_keys_call ON data_keys (call_id);
CREATE INDEX data_keys_recording_path ON data_keys (recording_path);
CREATE INDEX data_keys_master ON data_keys (master_key_id);

-- The tombstone on the call row: what was deleted, when, by whom (a user, an API key, 'retention').
ALTER TABLE calls ADD COLUMN recording_deleted_at timestamptz NULL;
ALTER TABLE calls ADD COLUMN transcript_deleted_at timestamptz NULL;
ALTER TABLE calls ADD COLUMN deleted_at timestamptz NULL;
ALTER TABLE calls ADD COLUMN deleted_by text NULL;

-- What deletions, retention and erasure removed (no foreign keys: it outlives what it names).
CREATE TABLE data_removals (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  uuid NOT NULL,
    call_id          uuid NULL,
    what             text NOT NULL CHECK (what IN ('recording', 'transcript', 'call')),
    reason           text NOT NULL CHECK (reason IN ('request', 'retention', 'subject-erasure')),
    removed_by       text NOT NULL,
    removed_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX data_removals_organisation ON data_removals (organisation_id, removed_at);

-- Retention in days (NULL: keep). A campaign's value, when set, overrides its organisation's.
ALTER TABLE organisations ADD COLUMN retain_recordings_days int NULL CHECK (retain_recordings_days >= 0);
ALTER TABLE organisations ADD COLUMN retain_transcripts_days int NULL CHECK (retain_transcripts_days >= 0);
ALTER TABLE organisations ADD COLUMN retain_calls_days int NULL CHECK (retain_calls_days >= 0);
ALTER TABLE campaigns ADD COLUMN retain_recordings_days int NULL CHECK (retain_recordings_days >= 0);
ALTER TABLE campaigns ADD COLUMN retain_transcripts_days int NULL CHECK (retain_transcripts_days >= 0);
ALTER TABLE campaigns ADD COLUMN retain_calls_days int NULL CHECK (retain_calls_days >= 0);

-- Transcript text at rest: sealed with the transcript's data key (nonce ‖ ciphertext ‖ tag); the plaintext
-- columns stay empty for new transcripts. Full-text search keeps a tsvector of the words (lexemes and positions,
-- not the text): written by the engine from the text before sealing (a trigger fills it from full_text when a
-- writer gives none), and deleted with the transcript.
ALTER TABLE transcripts ADD COLUMN data_key_id uuid NULL;
ALTER TABLE transcripts ADD COLUMN full_text_sealed bytea NULL;
ALTER TABLE transcript_segments ADD COLUMN text_sealed bytea NULL;
ALTER TABLE transcripts ADD COLUMN search_words tsvector NULL;
UPDATE transcripts SET search_words = search;
DROP INDEX transcripts_search;
ALTER TABLE transcripts DROP COLUMN search;
ALTER TABLE transcripts RENAME COLUMN search_words TO search;
CREATE INDEX transcripts_search ON transcripts USING gin (search);

-- Rows written with plaintext full_text (older writers) still get their vector, as the generated column gave them.
CREATE FUNCTION transcripts_search_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search IS NULL THEN
        NEW.search := to_tsvector('simple', NEW.full_text);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER transcripts_search_default BEFORE INSERT OR UPDATE ON transcripts
    FOR EACH ROW EXECUTE FUNCTION transcripts_search_default();
