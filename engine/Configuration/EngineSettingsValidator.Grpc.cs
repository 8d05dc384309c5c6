using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CallTracking.Engine.Api;

namespace CallTracking.Engine.Configuration;

public sealed partial class EngineSettingsValidator
{
    // Beyond this a stalled client holds more memory than its events are worth; it resumes from its last id instead.
    private const int MaximumSubscriberQueue = 1_000_000;

    private GrpcSettings? ValidateGrpc(GrpcOptions grpc, List<ConfigurationFault> faults)
    {
        var listen = EmptyAsNull(grpc.Listen) ?? GrpcSettings.DefaultListen;
        var tls = listen.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        var certificatePath = EmptyAsNull(grpc.Certificate.Path);
        HttpListenAddress? address = null;
        if (!HttpListenAddress.TryParse(tls ? "http://" + listen["https://".Length..] : listen, out address, out var error))
        {
            faults.Add(new("Grpc:Listen", $"{error} (gRPC listens on http://ADDRESS:PORT, h2c, or https://ADDRESS:PORT with Grpc:Certificate:Path)"));
        }

        if (tls && certificatePath is null)
        {
            faults.Add(new("Grpc:Certificate:Path", $"Grpc:Listen is \"{listen}\" (TLS) but no certificate is configured: set Grpc:Certificate:Path (PEM, with Grpc:Certificate:KeyPath, or a .pfx with Grpc:Certificate:Password), or listen on http:// (h2c)"));
        }
        else if (!tls && certificatePath is not null)
        {
            faults.Add(new("Grpc:Listen", $"\"{listen}\" is cleartext but Grpc:Certificate:Path is set: write https://{listen[(listen.IndexOf("://", StringComparison.Ordinal) + 3)..]} to serve gRPC over TLS"));
        }

        X509Certificate2? certificate = null;
        if (tls && certificatePath is not null)
        {
            certificate = LoadCertificate(grpc.Certificate, certificatePath, faults);
        }

        return address is null ? null : new GrpcSettings(address.Address, address.Port, certificate);
    }

    private X509Certificate2? LoadCertificate(GrpcCertificateOptions options, string certificatePath, List<ConfigurationFault> faults)
    {
        var path = Path.GetFullPath(certificatePath, _workingDirectory);
        if (!File.Exists(path))
        {
            faults.Add(new("Grpc:Certificate:Path", $"\"{path}\" does not exist"));
            return null;
        }

        var keyPath = EmptyAsNull(options.KeyPath) is { } key ? Path.GetFullPath(key, _workingDirectory) : null;
        if (keyPath is not null && !File.Exists(keyPath))
        {
            faults.Add(new("Grpc:Certificate:KeyPath", $"\"{keyPath}\" does not exist"));
            return null;
        }

        var pkcs12 = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
        try
        {
            var certificate = pkcs12
                ? X509CertificateLoader.LoadPkcs12FromFile(path, options.Password)
                : X509Certificate2.CreateFromPemFile(path, keyPath);
            if (!certificate.HasPrivateKey)
            {
                faults.Add(new("Grpc:Certificate:Path", $"\"{path}\" holds no private key (give the PEM key in Grpc:Certificate:KeyPath)"));
                certificate.Dispose();
                return null;
            }

            return certificate;
        }
        catch (CryptographicException e)
        {
            faults.Add(new(
                "Grpc:Certificate:Path",
                pkcs12
                    ? $"\"{path}\" is not a PKCS#12 file this password opens (Grpc:Certificate:Password): {e.Message}"
                    : $"\"{path}\" is not a PEM certificate with its private key (in the file or in Grpc:Certificate:KeyPath): {e.Message}"));
            return null;
        }
    }

    private static EventsSettings ValidateEvents(EventsOptions events, List<ConfigurationFault> faults)
    {
        if (events.SubscriberQueue is < 1 or > MaximumSubscriberQueue)
        {
            faults.Add(new("Events:SubscriberQueue", $"{events.SubscriberQueue} is out of range; events a subscriber may have waiting, 1 to {MaximumSubscriberQueue} (default {EventsSettings.DefaultSubscriberQueue})"));
            return EventsSettings.Default;
        }

        return new EventsSettings(events.SubscriberQueue);
    }
}
