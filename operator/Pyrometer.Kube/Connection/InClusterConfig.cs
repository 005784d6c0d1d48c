using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pyrometer.Kube.Connection;

/// <summary>Reads a pod's service-account mount and the API server address from the environment.</summary>
internal static class InClusterConfig
{
    public static KubeConnection Load(string directory, Func<string, string?> environment)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var portText = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(portText))
        {
            throw new KubeConfigException(
                "Not running inside a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set.");
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new KubeConfigException($"KUBERNETES_SERVICE_PORT '{portText}' is not a TCP port.");
        }

        var tokenFile = Path.Combine(directory, "token");
        if (!File.Exists(tokenFile))
        {
            throw new KubeConfigException(
                $"The service-account token {tokenFile} is missing; is automountServiceAccountToken disabled?");
        }

        var caFile = Path.Combine(directory, "ca.crt");
        if (!File.Exists(caFile))
        {
            throw new KubeConfigException($"The service-account CA bundle {caFile} is missing.");
        }
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"The CA bundle {caFile} is not valid PEM: {e.Message}", e);
        }
        if (authorities.Count == 0)
        {
            throw new KubeConfigException($"The CA bundle {caFile} holds no certificate.");
        }

        var namespaceFile = Path.Combine(directory, "namespace");
        var ns = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile).Trim() : "";

        // An IPv6 service address must be bracketed in a URI.
        var authority = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? "[" + host + "]" : host;
        return new KubeConnection
        {
            Server = new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{authority}:{port}/")),
            CertificateAuthorities = authorities,
            TokenFile = tokenFile,
            Namespace = ns.Length == 0 ? "default" : ns,
        };
    }
}
