using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pyrometer.Kube.Connection;
using Pyrometer.Kube.Http;
using Pyrometer.Kube.Serialization;

namespace Pyrometer.Kube.Api;

/// <summary>
/// Builds the official Kubernetes client with our pipeline: the rate limiter and retries outermost, then the bearer
/// token, then the client's own transport configured with our TLS checks (the configured CAs only, never the
/// system store) and client certificate.
/// </summary>
public static class KubeClientFactory
{
    /// <summary>Creates a client for the API server a <see cref="KubeConnection"/> describes.</summary>
    /// <param name="connection">Where the server is and how to authenticate.</param>
    /// <param name="options">Rate limits, retries and timeouts; defaults when null.</param>
    /// <param name="time">Clock for backoff, rate limiting and token re-reads; the system clock when null.</param>
    /// <param name="loggers">Loggers for retries, throttling and token-file problems.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static Kubernetes Create(
        KubeConnection connection, KubeApiOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new KubeApiOptions();
        options.Validate();
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        var config = new KubernetesClientConfiguration
        {
            Host = connection.Server.AbsoluteUri,
            // No CAs, skip flag or credentials are given to the client: its own certificate callback would then be
            // installed over ours, and the token comes from our handler (which re-reads rotating token files).
            FirstMessageHandlerSetup = handler => KubeHttpHandler.ConfigureTransport(handler, connection),
            // One HTTP/1.1 pool for typed and raw calls alike; watches are one stream per connection either way.
            DisableHttp2 = true,
        };
        var json = KubeJson.Configure(config);
        var retries = new KubeRetryHandler(options, time, loggers.CreateLogger(typeof(KubeApi).FullName!));
        var client = KubeHttpHandler.CreateAuthentication(connection, time, loggers.CreateLogger(typeof(KubeHttpHandler).FullName!)) is { } authentication
            ? new Kubernetes(config, retries, authentication)
            : new Kubernetes(config, retries);
        return KubeJson.Remember(client, json);
    }

    /// <summary>A client whose calls end in an existing <see cref="HttpClient"/> (tests and tools bring their own).</summary>
    internal static Kubernetes Over(HttpClient http, KubeApiOptions options, TimeProvider time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null || !http.BaseAddress.AbsolutePath.EndsWith('/'))
        {
            throw new ArgumentException("The HttpClient needs the API server as its BaseAddress, ending with '/'.", nameof(http));
        }
        var config = new KubernetesClientConfiguration { Host = http.BaseAddress.AbsoluteUri, DisableHttp2 = true };
        var json = KubeJson.Configure(config);
        return KubeJson.Remember(new Kubernetes(config, new KubeRetryHandler(options, time, logger ?? NullLogger.Instance), new ForwardingHandler(http)), json);
    }

    /// <summary>Ends the pipeline in another client instead of the transport the official client created.</summary>
    private sealed class ForwardingHandler(HttpClient http) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // A request an HttpClient has sent cannot go through another one: send a copy.
            var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return await http.SendAsync(KubeRetryHandler.Copy(request, body), HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
