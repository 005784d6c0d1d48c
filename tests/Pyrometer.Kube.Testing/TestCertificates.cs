using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pyrometer.Kube.Testing;

/// <summary>Makes throwaway CAs and leaf certificates for TLS tests.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>A server certificate for 127.0.0.1, with its private key.</summary>
    public static X509Certificate2 IssueServer(X509Certificate2 authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return Issue(request, authority, key);
    }

    /// <summary>A client certificate with an RSA or EC key.</summary>
    public static (X509Certificate2 Certificate, string CertificatePem, string KeyPem) IssueClient(X509Certificate2 authority, bool ec)
    {
        using AsymmetricAlgorithm key = ec ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var request = key is ECDsa ecKey
            ? new CertificateRequest("CN=pyrometer-test,O=system:masters", ecKey, HashAlgorithmName.SHA256)
            : new CertificateRequest("CN=pyrometer-test,O=system:masters", (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var certificate = Issue(request, authority, key);
        // kubeconfigs carry PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY") keys, as kubeadm writes them.
        var keyPem = key is ECDsa ecdsa ? ecdsa.ExportECPrivateKeyPem() : ((RSA)key).ExportRSAPrivateKeyPem();
        return (certificate, certificate.ExportCertificatePem(), keyPem);
    }

    private static X509Certificate2 Issue(CertificateRequest request, X509Certificate2 authority, AsymmetricAlgorithm key)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var authorityKey = authority.GetECDsaPrivateKey()!;
        // The CA's key is EC while leaves may be RSA, so sign through an explicit generator.
        using var issued = request.Create(
            authority.SubjectName, X509SignatureGenerator.CreateForECDsa(authorityKey),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        return key switch
        {
            RSA rsa => issued.CopyWithPrivateKey(rsa),
            ECDsa ec => issued.CopyWithPrivateKey(ec),
            _ => throw new ArgumentException("Unsupported key type.", nameof(key)),
        };
    }
}
