using CallTracking.Engine.Configuration;
using Npgsql;

namespace CallTracking.Engine.Privacy;

/// <summary>
/// The privacy services composed by hand for the command line (which has no host): the same types the engine
/// registers in <see cref="PrivacyServices.AddPrivacy"/>. The audit sink is the one place to wire the audit trail.
/// </summary>
public sealed class PrivacyToolkit
{
    public PrivacyToolkit(NpgsqlDataSource dataSource, EngineSettings settings, string masterKeyPath, MasterKeyRing keys, IAuditSink audit, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        DataSource = dataSource;
        Settings = settings;
        MasterKeyPath = masterKeyPath;
        Ring = keys;
        Audit = audit;
        Time = time;
        Keys = new DataKeyStore(dataSource, keys);
        Recordings = new RecordingReader(Keys);
        Transcripts = new TranscriptCipher(Keys);
        Deletion = new DataDeletion(dataSource, settings.DataPath, audit, time);
        Subjects = new SubjectRequests(dataSource, Deletion, audit, Recordings, Transcripts, settings, time);
        Organisations = new OrganisationExit(dataSource, Deletion, audit, Recordings, Transcripts, settings, time);
    }

    public NpgsqlDataSource DataSource { get; }

    public EngineSettings Settings { get; }

    public string MasterKeyPath { get; }

    public MasterKeyRing Ring { get; }

    public IAuditSink Audit { get; }

    public TimeProvider Time { get; }

    public DataKeyStore Keys { get; }

    public RecordingReader Recordings { get; }

    public TranscriptCipher Transcripts { get; }

    public DataDeletion Deletion { get; }

    public SubjectRequests Subjects { get; }

    public OrganisationExit Organisations { get; }
}
