using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Pyrometer.Kube.Connection;

/// <summary>
/// Checks the API server's certificate against the configured CAs only. Cluster CAs are private, so
/// trusting the system store as well would let any public CA vouch for "the API server".
/// </summary>
internal static class CertificateValidator
{
    public static bool Validate(
        X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection? authorities, bool insecure)
    {
        if (insecure)
        {
            return true;
        }
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) ||
            errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }
        if (authorities is null || authorities.Count == 0)
        {
            return errors == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // Cluster CAs publish no revocation endpoints.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
