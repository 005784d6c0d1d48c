using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pyrometer.Kube.Connection;

/// <summary>Builds HTTP handlers and clients that talk to the API server described by a <see cref="KubeConnection"/>.</summary>
public static class KubeHttpHandler
{
    /// <summary>
    /// Creates a handler that validates the server against the connection's CAs, presents its client
    /// certificate, and adds its bearer token (re-reading a token file as it rotates).
    /// </summary>
    /// <param name="connection">The connection settings.</param>
    /// <param name="time">Clock for token re-reads; the system clock when null.</param>
    /// <param name="logger">Logger for token-file problems.</param>
    public static HttpMessageHandler CreateHandler(KubeConnection connection, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var sockets = new SocketsHttpHandler();
        ConfigureTransport(sockets, connection);
        var tokens = CreateTokens(connection, time, logger);
        return tokens is null ? sockets : new BearerTokenHandler(tokens) { InnerHandler = sockets };
    }

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
            connection.TokenProvider);
        return tokens.HasToken ? tokens : null;
    }

    /// <summary>
    /// Creates a client for <see cref="Api.KubeApi"/>: base address set, no overall timeout (watches
    /// stay open; <see cref="Api.KubeApiOptions.RequestTimeout"/> bounds ordinary calls).
    /// </summary>
    /// <param name="connection">The connection settings.</param>
    /// <param name="time">Clock for token re-reads; the system clock when null.</param>
    /// <param name="logger">Logger for token-file problems.</param>
    public static HttpClient CreateClient(KubeConnection connection, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new HttpClient(CreateHandler(connection, time, logger), disposeHandler: true)
        {
            BaseAddress = connection.Server,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
