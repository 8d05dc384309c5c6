namespace CallTracking.Tests.Configuration;

/// <summary>A private folder for configuration files, deleted after the test.</summary>
internal sealed class TempConfigFolder : IDisposable
{
    public TempConfigFolder()
    {
        Path = Directory.CreateTempSubdirectory("calltracking-config-").FullName;
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
