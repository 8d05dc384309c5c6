using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CallTracking.Engine.Configuration;
using Microsoft.Extensions.Configuration;

namespace CallTracking.Tests.Configuration;

/// <summary>The <c>Grpc</c> and <c>Events</c> sections: defaults, TLS with PEM files, and clear faults.</summary>
public sealed class GrpcSettingsValidationTests
{
    private static SettingsValidationResult Validate(string workingDirectory, params (string Key, string? Value)[] values)
    {
        var all = new Dictionary<string, string?> { ["Sip:Listen:0"] = "udp:0.0.0.0:5060" };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        return new EngineSettingsValidator(workingDirectory).Validate(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
    }

    private static string Faults(SettingsValidationResult result) => string.Join("\n", result.Faults);

    [Fact]
    public void Without_a_Grpc_section_gRPC_listens_in_cleartext_on_loopback_8081_and_subscribers_queue_1024()
    {
        var result = Validate("/srv/ct");
        Assert.True(result.IsValid, Faults(result));
        Assert.Equal("127.0.0.1", result.Settings!.Grpc.Address.ToString());
        Assert.Equal(8081, result.Settings.Grpc.Port);
        Assert.Null(result.Settings.Grpc.Certificate);
        Assert.Equal(1024, result.Settings.Events.SubscriberQueue);
    }

    [Fact]
    public void Bad_listen_address_tls_without_certificate_missing_files_and_a_zero_queue_are_faults_naming_their_keys()
    {
        Assert.Contains("Grpc:Listen", Faults(Validate("/srv/ct", ("Grpc:Listen", "grpc://0.0.0.0:1"))), StringComparison.Ordinal);
        Assert.Contains("Grpc:Certificate:Path", Faults(Validate("/srv/ct", ("Grpc:Listen", "https://127.0.0.1:8443"))), StringComparison.Ordinal);
        var missing = Faults(Validate("/srv/ct", ("Grpc:Listen", "https://127.0.0.1:8443"), ("Grpc:Certificate:Path", "nope.pem")));
        Assert.Contains("Grpc:Certificate:Path", missing, StringComparison.Ordinal);
        Assert.Contains("/srv/ct/nope.pem", missing, StringComparison.Ordinal);
        Assert.Contains("Grpc:Listen", Faults(Validate("/srv/ct", ("Grpc:Listen", "http://127.0.0.1:8081"), ("Grpc:Certificate:Path", "cert.pem"))), StringComparison.Ordinal);
        Assert.Contains("Events:SubscriberQueue", Faults(Validate("/srv/ct", ("Events:SubscriberQueue", "0"))), StringComparison.Ordinal);
        Assert.Contains("Grpc:Lisen", Faults(Validate("/srv/ct", ("Grpc:Lisen", "http://127.0.0.1:1"))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pem_certificate_and_key_make_a_tls_listener()
    {
        var folder = Directory.CreateTempSubdirectory("ct-grpc-tls-");
        try
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(folder.FullName, "cert.pem"), certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(folder.FullName, "key.pem"), key.ExportPkcs8PrivateKeyPem());

            var result = Validate(folder.FullName, ("Grpc:Listen", "https://127.0.0.1:8443"), ("Grpc:Certificate:Path", "cert.pem"), ("Grpc:Certificate:KeyPath", "key.pem"));

            Assert.True(result.IsValid, Faults(result));
            Assert.Equal(8443, result.Settings!.Grpc.Port);
            Assert.True(result.Settings.Grpc.Certificate!.HasPrivateKey);
            Assert.Equal(certificate.Thumbprint, result.Settings.Grpc.Certificate.Thumbprint);
            var withoutKey = Validate(folder.FullName, ("Grpc:Listen", "https://127.0.0.1:8443"), ("Grpc:Certificate:Path", "cert.pem"));
            Assert.Contains("Grpc:Certificate:Path", Faults(withoutKey), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
