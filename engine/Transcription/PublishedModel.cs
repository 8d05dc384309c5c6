namespace CallTracking.Engine.Transcription;

/// <summary>A ggml Whisper model whisper.cpp publishes, and the SHA-1 of its file.</summary>
/// <param name="Name">As whisper.cpp names it: <c>base.en</c>, <c>large-v3-turbo-q5_0</c>.</param>
/// <param name="Size">Disk size as whisper.cpp's models/README.md gives it ("142 MiB").</param>
/// <param name="Sha1">Lower-case hex SHA-1 of <see cref="FileName"/>.</param>
public sealed record PublishedModel(string Name, string Size, string Sha1)
{
    /// <summary>The file name on the model host and on disk: <c>ggml-NAME.bin</c>.</summary>
    public string FileName => $"ggml-{Name}.bin";
}
