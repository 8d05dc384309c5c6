-- 0011: the redacted copy of a recording (issue 8, Privacy:RedactAudio): the spans that held redacted transcript
-- text replaced by a tone, written next to the original as <call-id>.redacted.opus under its own data key. The
-- downloads serve it instead of the original when it exists; the original only to an admin who asks for it.
ALTER TABLE recordings ADD COLUMN redacted_path text NULL;
ALTER TABLE recordings ADD COLUMN redacted_at timestamptz NULL;
