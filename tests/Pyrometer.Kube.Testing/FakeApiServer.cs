using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Pyrometer.Kube.Testing;

/// <summary>
/// An in-memory Kubernetes API server over real HTTP (Kestrel on 127.0.0.1, a free port): CRUD with
/// real resourceVersions and Status bodies, merge patches, /status, list paging, watches with
/// history, bookmarks and disconnects, injected faults, and optional bearer-token and TLS checks.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<FakeFault> _faults = [];
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _tokens = new();
    private volatile string? _requiredToken;
    private volatile Func<string, bool>? _acceptsToken;

    private FakeApiServer(WebApplication app, FakeApiServerOptions options)
    {
        _app = app;
        Options = options;
    }

    public FakeApiServerOptions Options { get; }

    public FakeStore Store { get; } = new();

    /// <summary>Answers TokenReviews and SubjectAccessReviews from what tests register.</summary>
    public FakeAccessReviews Reviews { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>"METHOD /path?query" of every request received, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>When set, requests must carry this bearer token or get 401.</summary>
    public string? RequiredToken
    {
        get => _requiredToken;
        set => _requiredToken = value;
    }

    /// <summary>
    /// When set, requests must carry a bearer token this accepts or get 401 (for credentials that change, such as
    /// an exec plugin's). The token of each request is recorded in <see cref="ReceivedTokens"/> either way.
    /// </summary>
    public Func<string, bool>? AcceptsToken
    {
        get => _acceptsToken;
        set => _acceptsToken = value;
    }

    /// <summary>The bearer token of every request that carried one, in order.</summary>
    public IReadOnlyList<string> ReceivedTokens => [.. _tokens];

    public static async Task<FakeApiServer> StartAsync(FakeApiServerOptions? options = null)
    {
        options ??= new FakeApiServerOptions();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (options.ServerCertificate is { } certificate)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    if (options.ClientCertificateAuthority is { } clientCa)
                    {
                        https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
                        https.ClientCertificateValidation = (client, _, _) => IssuedBy(client, clientCa);
                    }
                });
            }
        }));
        var app = builder.Build();
        var server = new FakeApiServer(app, options);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Makes the next <paramref name="times"/> matching requests fail (negative: until removed).</summary>
    public FakeFault Fail(
        string method, string pathContains, int code, string reason, int times = 1, int? retryAfterSeconds = null, string message = "injected failure")
    {
        var fault = new FakeFault
        {
            Matches = (m, p) => m == method && p.Contains(pathContains, StringComparison.Ordinal),
            Code = code,
            Reason = reason,
            Remaining = times,
            RetryAfterSeconds = retryAfterSeconds,
            Message = message,
        };
        lock (_faults)
        {
            _faults.Add(fault);
        }
        return fault;
    }

    /// <summary>
    /// Makes every request for which <paramref name="matches"/> (method, path with query) is true fail until the faults
    /// are cleared, e.g. to refuse cluster-wide lists as RBAC does for an account with only namespaced Roles.
    /// </summary>
    public FakeFault Fail(Func<string, string, bool> matches, int code, string reason, string message)
    {
        var fault = new FakeFault { Matches = matches, Code = code, Reason = reason, Remaining = -1, Message = message };
        lock (_faults)
        {
            _faults.Add(fault);
        }
        return fault;
    }

    /// <summary>
    /// Refuses (403, as RBAC does) every cluster-wide request for <paramref name="paths"/> — collections such as
    /// <c>/api/v1/pods</c> — while the same collection inside a namespace is served.
    /// </summary>
    public FakeFault ForbidClusterWide(params string[] paths) =>
        Fail(
            (_, target) => paths.Any(p => target == p || target.StartsWith(p + "?", StringComparison.Ordinal)),
            403,
            "Forbidden",
            "the account may only list and watch inside its namespaces (RBAC Roles), not at the cluster scope");

    /// <summary>The next <paramref name="times"/> matching requests get no answer (not even headers) until the client gives up.</summary>
    public FakeFault Hang(string method, string pathContains, int times = 1)
    {
        var fault = new FakeFault
        {
            Matches = (m, p) => m == method && p.Contains(pathContains, StringComparison.Ordinal),
            Code = 0,
            Hang = true,
            Remaining = times,
        };
        lock (_faults)
        {
            _faults.Add(fault);
        }
        return fault;
    }

    public void ClearFaults()
    {
        lock (_faults)
        {
            _faults.Clear();
        }
    }

    /// <summary>Stores an object directly, as if created; returns it with server-set fields.</summary>
    public JsonObject Seed(string plural, string? ns, string json)
    {
        var result = Store.Create(Resource(plural), ns, JsonNode.Parse(json)!.AsObject());
        return result.Code == 201 ? result.Body : throw new InvalidOperationException(result.Body.ToJsonString());
    }

    public JsonObject? Stored(string plural, string? ns, string name) => Store.Get(Resource(plural), ns, name);

    public static FakeResource Resource(string plural) => FakeResource.Defaults.Single(r => r.Plural == plural);

    public async ValueTask DisposeAsync()
    {
        Store.DropWatches(abort: false);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = request.Path.Value + request.QueryString.Value;
        _requests.Enqueue(request.Method + " " + target);

        var authorization = request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        if (bearer is not null)
        {
            _tokens.Enqueue(bearer);
        }
        if ((_requiredToken is { } token && bearer != token) || (_acceptsToken is { } accepts && (bearer is null || !accepts(bearer))))
        {
            await FakeRequestHandler.WriteAsync(context, FakeResult.Status(401, "Unauthorized", "Unauthorized"));
            return;
        }
        var fault = TakeFault(request.Method, target);
        if (fault is { Hang: true })
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, which is what the fault waits for.
            }
            return;
        }
        if (fault is not null)
        {
            if (fault.RetryAfterSeconds is int seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await FakeRequestHandler.WriteAsync(context, FakeResult.Status(fault.Code, fault.Reason, fault.Message));
            return;
        }

        var segments = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        try
        {
            await FakeRequestHandler.HandleAsync(context, segments, Store, Options, Reviews);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException && !context.Response.HasStarted)
        {
            // A bug in the fake (or a malformed request) shows up as a 500 whose message says why.
            await FakeRequestHandler.WriteAsync(context, FakeResult.Status(500, "InternalError", e.ToString()));
        }
    }

    private FakeFault? TakeFault(string method, string target)
    {
        lock (_faults)
        {
            var fault = _faults.FirstOrDefault(f => f.Remaining != 0 && f.Matches(method, target));
            if (fault is not null && fault.Remaining > 0)
            {
                fault.Remaining--;
            }
            return fault;
        }
    }

    private static bool IssuedBy(X509Certificate2 client, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(client);
    }
}
