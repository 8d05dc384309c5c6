namespace CallTracking.IntegrationTests.Infrastructure;

/// <summary>
/// One engine (<see cref="EngineConfigs.Standard"/>) shared by the tests of a class whose requests leave no
/// state behind (rejections, OPTIONS): starting it once keeps those classes fast.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    private EngineProcess? _engine;

    public EngineProcess Engine => _engine ?? throw new InvalidOperationException("The engine has not started.");

    public async Task InitializeAsync()
    {
        var directory = TestDirectory.Create(nameof(EngineFixture));
        var sipPort = FreePorts.Next();
        _engine = await EngineProcess.StartAsync(directory, sipPort, EngineConfigs.Standard(sipPort)).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync().ConfigureAwait(false);
        }
    }
}
