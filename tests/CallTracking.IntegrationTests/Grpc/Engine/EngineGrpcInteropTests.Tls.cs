using System.Diagnostics;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Grpc.Engine;

public abstract partial class EngineGrpcInteropTests
{
    private const string CertificateName = "engine.test";

    [Fact]
    public async Task Engine_serving_gRPC_over_TLS_answers_a_client_that_trusts_its_certificate()
    {
        // A self-signed certificate for a name, not the address: the client checks it under --server-name.
        var directory = TestDirectory.Create();
        var certificate = directory.File("grpc.crt");
        var key = directory.File("grpc.key");
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=" + CertificateName, "-addext", "subjectAltName=DNS:" + CertificateName);

        var database = await Fixture.Server.CreateDatabaseAsync();
        var sipPort = FreePorts.Next();
        await using var engine = await EngineProcess.StartAsync(
            directory,
            sipPort,
            EngineConfigs.Standard(sipPort),
            $"--Database:ConnectionString={database}",
            "--Grpc:Listen=https://127.0.0.1:0",
            $"--Grpc:Certificate:Path={certificate}",
            $"--Grpc:Certificate:KeyPath={key}");
        var target = await EngineGrpcFixture.WaitForGrpcTargetAsync(engine);
        Assert.Equal("https", engine.GrpcAddress!.Scheme);

        var trusted = await CallAsync(Health(target, string.Empty) with { CaCertificate = certificate, ServerName = CertificateName }, "tls");
        Assert.Equal("OK", trusted.Status);
        Assert.Equal("SERVING", Assert.Single(trusted.Messages).GetProperty("status").GetString());

        // The same port without TLS (h2c) gets no answer.
        var cleartext = await CallAsync(Health(target, string.Empty) with { Timeout = TimeSpan.FromSeconds(5) }, "cleartext");
        Assert.NotEqual("OK", cleartext.Status);
        Assert.Empty(cleartext.Messages);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {await stderr}");
    }
}
