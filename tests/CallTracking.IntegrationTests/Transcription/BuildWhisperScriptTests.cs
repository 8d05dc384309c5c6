using System.Diagnostics;
using CallTracking.IntegrationTests.Infrastructure;
using CallTracking.Media.Transcription;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>engine/native/build-whisper, the set-up step engine/run and tests/run share.</summary>
public sealed class BuildWhisperScriptTests
{
    private const string ScriptPath = "engine/native/build-whisper";

    [Fact]
    public async Task A_second_run_finds_the_built_library_and_does_nothing()
    {
        var root = RepositoryRoot();
        Assert.True(File.Exists(Path.Combine(root, WhisperLibrary.CacheRelativePath)), "tests/run builds libwhisper before the tests");
        var watch = Stopwatch.StartNew();

        var (code, output) = await RunAsync(Path.Combine(root, ScriptPath));

        Assert.Equal(0, code);
        Assert.Contains("==> libwhisper 1.9.1 already built", output, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_tarball_that_is_not_the_pinned_one_is_deleted_and_the_script_says_what_to_do()
    {
        // A copy of the script in a folder laid out like the repository, with a tampered download
        // in its cache: the script must refuse it before unpacking or building anything.
        var directory = TestDirectory.Create();
        var fakeRoot = directory.SubDirectory("repo");
        var script = Path.Combine(fakeRoot, ScriptPath);
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.Copy(Path.Combine(RepositoryRoot(), ScriptPath), script);
        var download = Path.Combine(fakeRoot, ".artifacts", "native", "whisper-1.9.1", "download");
        Directory.CreateDirectory(download);
        var tarball = Path.Combine(download, "nodejs-whisper-0.3.1.tgz");
        await File.WriteAllTextAsync(tarball, "not the package");

        var (code, output) = await RunAsync(script);

        Assert.Equal(1, code);
        Assert.Contains("==> verifying", output, StringComparison.Ordinal);
        Assert.Contains("does not have the pinned sha512", output, StringComparison.Ordinal);
        Assert.Contains("run engine/native/build-whisper again", output, StringComparison.Ordinal);
        Assert.Contains("Transcription:LibraryPath", output, StringComparison.Ordinal);
        Assert.False(File.Exists(tarball));
        Assert.False(Directory.Exists(Path.Combine(fakeRoot, ".artifacts", "native", "whisper-1.9.1", "src")));
        Directory.Delete(fakeRoot, recursive: true);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ScriptPath)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"{ScriptPath} is not above {AppContext.BaseDirectory}");
    }

    private static async Task<(int Code, string Output)> RunAsync(string script)
    {
        var info = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
