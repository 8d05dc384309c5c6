namespace CallTracking.IntegrationTests.Transcription;

/// <summary>Every test that loads libwhisper shares one <see cref="WhisperFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class WhisperCollection : ICollectionFixture<WhisperFixture>
{
    public const string Name = "Whisper";
}
