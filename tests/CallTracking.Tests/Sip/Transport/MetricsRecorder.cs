using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>Sums the long measurements of one <see cref="Meter"/> instance (not every meter of that name) by instrument and transport tag.</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Name, string? Transport), long> _totals = new();

    public MetricsRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? transport = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "transport")
                {
                    transport = tag.Value as string;
                }
            }

            _totals.AddOrUpdate((instrument.Name, transport), value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public long Total(string name, string? transport = null) => _totals.GetValueOrDefault((name, transport));

    public void Dispose() => _listener.Dispose();
}
