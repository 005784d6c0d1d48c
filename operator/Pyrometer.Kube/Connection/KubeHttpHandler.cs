using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pyrometer.Kube.Connection;

/// <summary>
/// The parts of the HTTP pipeline that a <see cref="KubeConnection"/> decides: TLS checks and client certificate on the
/// transport, and the bearer-token handler. <see cref="Api.KubeClientFactory"/> puts them into the official client.
/// </summary>
internal static class KubeHttpHandler
{
    /// <summary>Our TLS checks and client certificate on the transport (the official client's own, when it builds one).</summary>
    internal static void ConfigureTransport(SocketsHttpHandler sockets, KubeConnection connection)
    {
        // Endpoints behind the kubernetes service can change; do not pin a connection forever.
        sockets.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        var authorities = connection.CertificateAuthorities;
        var insecure = connection.InsecureSkipTlsVerify;
        sockets.SslOptions.RemoteCertificateValidationCallback =
            (_, certificate, chain, errors) => CertificateValidator.Validate(certificate, chain, errors, authorities, insecure);
        if (connection.TlsServerName is not null)
        {
            // Checked by the validation callback's name-mismatch flag, like any other host name.
            sockets.SslOptions.TargetHost = connection.TlsServerName;
        }
        if (connection.ClientCertificate is not null)
        {
            sockets.SslOptions.ClientCertificates = new X509CertificateCollection { connection.ClientCertificate };
        }
    }

    /// <summary>The handler that adds the bearer token, or null when the connection has none.</summary>
    internal static BearerTokenHandler? CreateAuthentication(KubeConnection connection, TimeProvider? time, ILogger? logger) =>
        CreateTokens(connection, time, logger) is { } tokens ? new BearerTokenHandler(tokens) : null;

    private static TokenProvider? CreateTokens(KubeConnection connection, TimeProvider? time, ILogger? logger)
    {
        var tokens = new TokenProvider(
            connection.Token, connection.TokenFile, connection.TokenRefreshInterval, time ?? TimeProvider.System, logger ?? NullLogger.Instance,
            connection.TokenProvider, connection.RenewTokenProvider);
        return tokens.HasToken ? tokens : null;
    }
}
