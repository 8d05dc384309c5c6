using System.Globalization;

namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// dnsmasq (Debian dnsmasq-base) as an authoritative-enough name server for a test: bound to 127.0.0.1 on a free
/// port, no upstream, no hosts file, only the records given. Stopped by its own process id.
/// </summary>
public sealed class Dnsmasq : IAsyncDisposable
{
    private readonly CapturedProcess _process;

    private Dnsmasq(CapturedProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<Dnsmasq> StartAsync(TestDirectory directory, IEnumerable<string> records)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var port = FreePorts.Next();
        var arguments = new List<string>
        {
            "--no-resolv", "--no-hosts", "--keep-in-foreground", "--no-daemon", "--log-queries", "--log-facility=-",
            "--port=" + port.ToString(CultureInfo.InvariantCulture), "--listen-address=127.0.0.1", "--bind-interfaces",
            "--pid-file=", "--conf-file=/dev/null", "--user=root",
        };
        arguments.AddRange(records);
        var process = CapturedProcess.Start("dnsmasq", arguments, directory.Path, directory.File("dnsmasq.log"));
        try
        {
            await ListeningSockets.WaitUntilListeningAsync(SippTransport.Udp, System.Net.IPAddress.Loopback, port, TimeSpan.FromSeconds(10), () => process.HasExited).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            var output = process.Output;
            process.Dispose();
            throw new InvalidOperationException($"dnsmasq did not start: {e.Message}\n{CapturedProcess.TailOf(output, 20)}", e);
        }

        return new Dnsmasq(process, port);
    }

    public string Output => _process.Output;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await _process.SignalAsync("TERM").ConfigureAwait(false);
            if (!await _process.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}
