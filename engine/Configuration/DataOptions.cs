namespace CallTracking.Engine.Configuration;

/// <summary>The <c>Data</c> section.</summary>
public sealed class DataOptions
{
    /// <summary>Folder for recordings and the embedded database; relative paths are from the working directory.</summary>
    public string Path { get; set; } = "./data";
}
