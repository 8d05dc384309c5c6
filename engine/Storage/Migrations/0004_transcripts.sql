-- 0004: transcription jobs (a durable queue taken with FOR UPDATE SKIP LOCKED), transcripts with their segments and
-- a full-text index, keyword rules per organisation, and what those rules put on a call (tags, score, value).

CREATE TABLE transcription_jobs (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_id          uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    recording_id     uuid NOT NULL UNIQUE REFERENCES recordings (id) ON DELETE CASCADE,
    state            text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- The lease: a worker that dies mid-job stops renewing locked_until and the job is taken again after it.
    locked_by        text NULL,
    locked_until     timestamptz NULL,
    last_error       text NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- What a worker scans: jobs due now, queued or with an expired lease.
CREATE INDEX transcription_jobs_due ON transcription_jobs (next_attempt_at) WHERE state IN ('queued', 'running');

CREATE TABLE transcripts (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_id        uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    recording_id   uuid NULL REFERENCES recordings (id) ON DELETE SET NULL,
    status         text NOT NULL CHECK (status IN ('ready', 'failed')),
    language       text NULL,
    error          text NULL,
    model          text NULL,
    duration_ms    bigint NULL,
    full_text      text NOT NULL DEFAULT '',
    -- 'simple': transcripts come in any language, so no stemming or stop words that would be wrong for most of them.
    search         tsvector GENERATED ALWAYS AS (to_tsvector('simple', full_text)) STORED,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX transcripts_recording ON transcripts (recording_id);
CREATE INDEX transcripts_call ON transcripts (call_id);
CREATE INDEX transcripts_search ON transcripts USING gin (search);

CREATE TABLE transcript_segments (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transcript_id  uuid NOT NULL REFERENCES transcripts (id) ON DELETE CASCADE,
    speaker        text NOT NULL CHECK (speaker IN ('caller', 'business')),
    start_ms       bigint NOT NULL,
    end_ms         bigint NOT NULL,
    text           text NOT NULL,
    confidence     real NOT NULL
);

CREATE INDEX transcript_segments_transcript ON transcript_segments (transcript_id, start_ms);

CREATE TABLE keyword_rules (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id  uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name             text NOT NULL,
    pattern          text NOT NULL,
    is_regex         boolean NOT NULL DEFAULT false,
    -- NULL: said by either side.
    speaker          text NULL CHECK (speaker IN ('caller', 'business')),
    tag              text NULL,
    score_delta      int NOT NULL DEFAULT 0,
    value            numeric NULL,
    enabled          boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

CREATE TABLE call_tags (
    call_id     uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    tag         text NOT NULL,
    rule_id     uuid NULL REFERENCES keyword_rules (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (call_id, tag)
);

-- Set by keyword rules: the sum of the applied rules' score deltas, and the value of the last rule that set one.
ALTER TABLE calls ADD COLUMN score int NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN value numeric NULL;

-- Which rules already applied to a call, so a transcript processed twice (a retried job) tags once.
CREATE TABLE call_rule_applications (
    call_id     uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    rule_id     uuid NOT NULL REFERENCES keyword_rules (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (call_id, rule_id)
);
