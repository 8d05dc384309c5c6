using CallTracking.Engine.Configuration;
using CallTracking.Media.Recording.Encryption;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallTracking.Engine.Privacy;

/// <summary>Registration of encryption at rest, deletion, retention and data-subject requests.</summary>
public static class PrivacyServices
{
    /// <summary>
    /// Loads (or on first run creates) the master key named by <c>Security:MasterKeyFile</c>; false after writing
    /// the reason to <paramref name="error"/>, for the host to stop with.
    /// </summary>
    public const string EncryptRecordingsKey = "Security:EncryptRecordings";

    /// <summary>Whether new recordings are encrypted: yes unless <c>Security:EncryptRecordings</c> is <c>false</c>.</summary>
    public static bool EncryptRecordings(IConfiguration configuration) =>
        !string.Equals(configuration?[EncryptRecordingsKey], "false", StringComparison.OrdinalIgnoreCase);

    public static bool TryLoadMasterKey(IConfiguration configuration, string dataPath, TextWriter error, out MasterKeyRing? keys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            keys = MasterKeyFile.LoadOrCreate(MasterKeyFile.PathFor(configuration[MasterKeyFile.ConfigurationKey], dataPath));
            return true;
        }
        catch (MasterKeyException e)
        {
            error.WriteLine("calltracking: " + e.Message);
            keys = null;
            return false;
        }
    }

    /// <summary>
    /// The key store, the recording reader, the transcript cipher and the deletion service (both roles); with
    /// <paramref name="engine"/>, also the recording key source (for the media engine) and the retention sweeper.
    /// Register after the database; the default <see cref="IAuditSink"/> logs.
    /// </summary>
    /// <param name="encryptRecordings">False (<c>Security:EncryptRecordings=false</c>) writes new recordings in the clear; reading, deletion and transcripts are unchanged.</param>
    public static IServiceCollection AddPrivacy(this IServiceCollection services, MasterKeyRing keys, bool engine, bool encryptRecordings = true)
    {
        services.AddSingleton(keys);
        services.AddSingleton<DataKeyStore>();
        services.AddSingleton<RecordingReader>();
        services.AddSingleton<TranscriptCipher>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<IAuditSink>(services => services.GetRequiredService<AuditTrail>());
        services.AddSingleton(services => new DataDeletion(
            services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            services.GetRequiredService<EngineSettings>().DataPath,
            services.GetRequiredService<IAuditSink>(),
            services.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SubjectRequests>();
        services.AddSingleton<OrganisationExit>();
        if (engine)
        {
            services.AddSingleton<RecordingKeySource>();
            if (encryptRecordings)
            {
                services.AddSingleton<IRecordingKeySource>(services => services.GetRequiredService<RecordingKeySource>());
            }

            services.AddHostedService(services => services.GetRequiredService<RecordingKeySource>());
            services.AddSingleton(RetentionOptions.From);
            services.AddHostedService<RetentionSweeper>();
        }

        return services;
    }

    /// <summary>
    /// With <c>Privacy:RedactAudio</c> on, the <see cref="RecordingRedaction"/> the transcription workers run after
    /// storing a transcript (engine and worker roles alike; after <see cref="AddPrivacy"/>).
    /// </summary>
    public static IServiceCollection AddAudioRedaction(this IServiceCollection services, IConfiguration configuration)
    {
        if (PrivacyOptions.From(configuration).RedactAudio)
        {
            services.AddSingleton(services => new RecordingRedaction(
                services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
                services.GetRequiredService<Storage.CallRecordStore>(),
                services.GetRequiredService<RecordingReader>(),
                services.GetService<DataKeyStore>(),
                services.GetRequiredService<EngineSettings>().DataPath,
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
                services.GetRequiredService<ILogger<RecordingRedaction>>()));
        }

        return services;
    }
}
