namespace CallTracking.Engine.Privacy;

/// <summary>Files holding personal data (exports) are created readable by their owner only (mode 0600).</summary>
public static class PrivateFile
{
    public static FileStream Create(string path, FileMode mode, FileAccess access, FileOptions options = FileOptions.None)
    {
        var settings = new FileStreamOptions { Mode = mode, Access = access, Options = options };
        if (!OperatingSystem.IsWindows())
        {
            settings.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, settings);
    }
}
