namespace CallTracking.Engine.Transcription;

/// <summary>
/// whisper.cpp's published ggml models: the table of models/README.md in the whisper.cpp
/// 1.9.1 source (name, disk size, SHA-1), hosted where models/download-ggml-model.sh
/// downloads them from.
/// </summary>
public static class PublishedModels
{
    /// <summary>The model host: <c>{Source}/ggml-NAME.bin</c> (download-ggml-model.sh's <c>src</c> + <c>/resolve/main</c>).</summary>
    public const string DefaultSource = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

    public static IReadOnlyList<PublishedModel> All { get; } =
    [
        new("tiny", "75 MiB", "bd577a113a864445d4c299885e0cb97d4ba92b5f"),
        new("tiny.en", "75 MiB", "c78c86eb1a8faa21b369bcd33207cc90d64ae9df"),
        new("base", "142 MiB", "465707469ff3a37a2b9b8d8f89f2f99de7299dac"),
        new("base.en", "142 MiB", "137c40403d78fd54d454da0f9bd998f78703390c"),
        new("small", "466 MiB", "55356645c2b361a969dfd0ef2c5a50d530afd8d5"),
        new("small.en", "466 MiB", "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022"),
        new("small.en-tdrz", "465 MiB", "b6c6e7e89af1a35c08e6de56b66ca6a02a2fdfa1"),
        new("medium", "1.5 GiB", "fd9727b6e1217c2f614f9b698455c4ffd82463b4"),
        new("medium.en", "1.5 GiB", "8c30f0e44ce9560643ebd10bbe50cd20eafd3723"),
        new("large-v1", "2.9 GiB", "b1caaf735c4cc1429223d5a74f0f4d0b9b59a299"),
        new("large-v2", "2.9 GiB", "0f4c8e34f21cf1a914c59d8b3ce882345ad349d6"),
        new("large-v2-q5_0", "1.1 GiB", "00e39f2196344e901b3a2bd5814807a769bd1630"),
        new("large-v3", "2.9 GiB", "ad82bf6a9043ceed055076d0fd39f5f186ff8062"),
        new("large-v3-q5_0", "1.1 GiB", "e6e2ed78495d403bef4b7cff42ef4aaadcfea8de"),
        new("large-v3-turbo", "1.5 GiB", "4af2b29d7ec73d781377bfd1758ca957a807e941"),
        new("large-v3-turbo-q5_0", "547 MiB", "e050f7970618a659205450ad97eb95a18d69c9ee"),
    ];

    /// <summary>The model called <paramref name="name"/> (case-insensitive; <c>ggml-base.en.bin</c> works too), or null.</summary>
    public static PublishedModel? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith("ggml-", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            name = name["ggml-".Length..^".bin".Length];
        }

        return All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The model whose file has this SHA-1, or null.</summary>
    public static PublishedModel? FindBySha1(string sha1) =>
        All.FirstOrDefault(m => string.Equals(m.Sha1, sha1, StringComparison.OrdinalIgnoreCase));
}
