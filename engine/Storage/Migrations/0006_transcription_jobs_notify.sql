-- 0006: wake idle transcription workers (on every machine) when a job can be taken, so a recording is transcribed
-- within moments of becoming final instead of at the workers' next poll.

-- NOTIFY is transactional: workers hear it when the transaction that queued the job (the one that stored the
-- recording) commits, so the job they go for is visible to them. The notification carries nothing: a woken worker
-- claims the oldest due job like a polling one, and the slow poll (Transcription:PollMilliseconds) covers a lost one.
CREATE FUNCTION transcription_jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('calltracking_transcription_jobs', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER transcription_jobs_queued AFTER INSERT ON transcription_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION transcription_jobs_notify();

-- A failed or finished job put back in the queue by hand (state = 'queued', due now) wakes the workers too;
-- automatic retries are due later and are found by the workers' timed wait.
CREATE TRIGGER transcription_jobs_requeued AFTER UPDATE OF state ON transcription_jobs
    FOR EACH ROW WHEN (NEW.state = 'queued' AND OLD.state <> 'queued' AND NEW.next_attempt_at <= now())
    EXECUTE FUNCTION transcription_jobs_notify();
