using System.Text;
using System.Text.RegularExpressions;
using CallTracking.Engine.Dashboard;

namespace CallTracking.Tests.Dashboard;

/// <summary>The dashboard as embedded in the engine: every file the page and its modules load is there, typed.</summary>
public sealed partial class DashboardAssetsTests
{
    private readonly DashboardAssets _assets = new();

    [Fact]
    public void Index_and_every_file_it_references_are_embedded_with_their_content_types()
    {
        var index = _assets.Find("index.html");
        Assert.NotNull(index);
        Assert.Equal("text/html; charset=utf-8", index.ContentType);
        var html = Encoding.UTF8.GetString(index.Content.Span);
        var references = Reference().Matches(html).Select(m => m.Groups["path"].Value).Distinct().ToList();
        Assert.Contains("/assets/js/app.js", references);
        Assert.Contains("/assets/app.css", references);
        foreach (var reference in references)
        {
            Assert.True(_assets.Find(reference.TrimStart('/')) is not null, $"index.html references {reference}, which is not embedded");
        }

        Assert.Equal("text/css; charset=utf-8", _assets.Find("assets/app.css")!.ContentType);
        Assert.Equal("image/svg+xml", _assets.Find("assets/icons.svg")!.ContentType);
    }

    [Fact]
    public void Every_module_import_resolves_to_an_embedded_module()
    {
        var pending = new Queue<string>(["assets/js/app.js"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var path))
        {
            if (!seen.Add(path))
            {
                continue;
            }

            var module = _assets.Find(path);
            Assert.True(module is not null, $"{path} is imported but not embedded");
            Assert.Equal("text/javascript; charset=utf-8", module.ContentType);
            var source = Encoding.UTF8.GetString(module.Content.Span);
            foreach (Match import in Import().Matches(source))
            {
                var target = Path.GetFullPath(Path.Combine("/", Path.GetDirectoryName(path)!, import.Groups["path"].Value)).TrimStart('/');
                pending.Enqueue(target);
            }
        }

        Assert.Contains("assets/js/protobuf.js", seen);
        Assert.Contains("assets/js/pages/call.js", seen);
    }

    [Fact]
    public void ETags_are_strong_and_differ_between_files()
    {
        var app = _assets.Find("assets/js/app.js")!;
        var css = _assets.Find("assets/app.css")!;
        Assert.Matches("^\"[0-9a-f]{24}\"$", app.ETag);
        Assert.NotEqual(app.ETag, css.ETag);
        Assert.Null(_assets.Find("assets/js/missing.js"));
        Assert.Null(_assets.Find("../appsettings.json"));
    }

    [GeneratedRegex("(?:src|href)=\"(?<path>/assets/[^\"]+)\"")]
    private static partial Regex Reference();

    [GeneratedRegex("""(?:import|export)\s[^;]*?from\s+'(?<path>\.{1,2}/[^']+)'""")]
    private static partial Regex Import();
}
