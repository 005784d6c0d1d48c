using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, through the official client's typed Lease calls. Writes are
/// merge patches carrying the resourceVersion that was read, so two candidates racing for an expired lease cannot
/// both win. Not the client's own LeaderElector: in 21.0.8 it judges expiry on the wall clock, keeps its renewal
/// running after the renew deadline has passed (so a replica that stopped leading can still take the lease back)
/// and replaces the whole object.
/// </summary>
public sealed partial class LeaseElector
{
    private readonly LeaseClient _leases;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ObjectKey _key;
    private string? _observedRecord;
    private long _observedAt;
    private V1Lease? _held;

    /// <summary>Creates an elector on the official client of a <see cref="KubeApi"/>; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="api">The API; its client makes the typed Lease calls.</param>
    /// <param name="options">Lease name, timings and identity.</param>
    /// <param name="logger">Logger for transitions and failed calls.</param>
    /// <param name="time">The monotonic clock that judges expiry and deadlines; the system clock when null.</param>
    /// <exception cref="ArgumentException">The API is not a <see cref="KubeApi"/>, or the options are invalid.</exception>
    public LeaseElector(IKubeApi api, LeaderElectionOptions options, ILogger<LeaseElector>? logger = null, TimeProvider? time = null)
        : this(
            (api ?? throw new ArgumentNullException(nameof(api))) is KubeApi kube
                ? kube.Client
                : throw new ArgumentException("Leader election needs a KubeApi, whose client makes the Lease calls.", nameof(api)),
            options, logger, time)
    {
    }

    /// <summary>Creates an elector on the official client; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="client">The client (see <see cref="KubeClientFactory"/>). Give it a request timeout below <see cref="LeaderElectionOptions.RenewDeadline"/>.</param>
    /// <param name="options">Lease name, timings and identity.</param>
    /// <param name="logger">Logger for transitions and failed calls.</param>
    /// <param name="time">The monotonic clock that judges expiry and deadlines; the system clock when null.</param>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public LeaseElector(Kubernetes client, LeaderElectionOptions options, ILogger<LeaseElector>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _key = new ObjectKey(options.LeaseNamespace, options.LeaseName);
        Identity = options.Identity ?? DefaultIdentity();
        _leases = new LeaseClient(client, _key);
    }

    /// <summary>This replica's identity as written into the Lease.</summary>
    public string Identity { get; }

    /// <summary>True while this replica holds the lease.</summary>
    public bool IsLeader => _held is not null;

    /// <summary>
    /// Waits for the lease, runs <paramref name="lead"/> while holding it, and returns when leadership
    /// is lost (the token given to <paramref name="lead"/> is cancelled first), when
    /// <paramref name="cancellationToken"/> is cancelled (a normal exit), or when
    /// <paramref name="lead"/> ends by itself (its exception, if any, is rethrown). Except after a
    /// loss, the lease is released so a successor need not wait for it to expire.
    /// </summary>
    /// <param name="lead">The work to do as leader; it must stop when its token is cancelled.</param>
    /// <param name="cancellationToken">Graceful shutdown.</param>
    /// <returns>True when leadership was lost, false otherwise.</returns>
    public async Task<bool> RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        try
        {
            while (!await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(_options.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        LogBecameLeader(_logger, Identity, _key.ToString());
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
        var lost = await RenewUntilLostAsync(work, cancellationToken).ConfigureAwait(false);
        await leading.CancelAsync().ConfigureAwait(false);
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
            // The leader's work stopping on its token is the expected way out.
        }
        finally
        {
            if (lost)
            {
                _held = null;
                LogLostLeadership(_logger, Identity, _key.ToString());
            }
            else
            {
                // Also when the work failed: a successor should not wait for the lease to expire.
                await ReleaseAsync().ConfigureAwait(false);
            }
        }
        return lost;
    }

    private async Task<bool> RenewUntilLostAsync(Task work, CancellationToken cancellationToken)
    {
        var lastRenew = _time.GetTimestamp();
        while (!work.IsCompleted)
        {
            // Wake for the next renewal, or as soon as the leader's work ends on its own.
            using (var pause = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var delay = Task.Delay(_options.RetryPeriod, _time, pause.Token);
                await Task.WhenAny(delay, work).ConfigureAwait(false);
                await pause.CancelAsync().ConfigureAwait(false);
            }
            if (cancellationToken.IsCancellationRequested || work.IsCompleted)
            {
                return false;
            }
            bool renewed;
            try
            {
                renewed = await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            if (renewed)
            {
                lastRenew = _time.GetTimestamp();
                continue;
            }
            if (_held is null || _time.GetElapsedTime(lastRenew) >= _options.RenewDeadline)
            {
                return true;   // someone else holds it, or we could not renew in time
            }
        }
        return false;
    }

    /// <summary>
    /// One attempt to take or renew the lease. Returns false when another holder's lease is still
    /// valid, when a write lost a race (409), or when the call failed.
    /// </summary>
    internal async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        // Bounded below the renew deadline so one hung call cannot outlast it.
        using var timeout = new CancellationTokenSource(_options.RenewDeadline / 2, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var lease = await _leases.GetAsync(linked.Token).ConfigureAwait(false);
            if (lease is null)
            {
                _held = await _leases.CreateAsync(NewLease(now), linked.Token).ConfigureAwait(false);
                Observe(_held);
                return true;
            }

            Observe(lease);
            var spec = lease.Spec ?? new V1LeaseSpec();
            var holder = spec.HolderIdentity;
            var mine = holder == Identity;
            if (!mine && !string.IsNullOrEmpty(holder) && !ObservedExpired(spec))
            {
                _held = null;
                return false;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = lease.Metadata.ResourceVersion },
                ["spec"] = new JsonObject
                {
                    ["holderIdentity"] = Identity,
                    ["leaseDurationSeconds"] = (int)_options.LeaseDuration.TotalSeconds,
                    ["renewTime"] = MicroTime(now),
                    ["acquireTime"] = mine && spec.AcquireTime is { } acquired ? MicroTime(Utc(acquired)) : MicroTime(now),
                    ["leaseTransitions"] = mine ? spec.LeaseTransitions ?? 0 : (spec.LeaseTransitions ?? 0) + 1,
                },
            };
            _held = await _leases.PatchAsync(patch, linked.Token).ConfigureAwait(false);
            Observe(_held);
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            LogLeaseConflict(_logger, _key.ToString());
            return false;   // someone else wrote first; the next attempt re-reads
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or TimeoutException ||
                                  (e is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            LogLeaseCallFailed(_logger, _key.ToString(), e);
            return false;
        }
    }

    /// <summary>Gives the lease up so a successor can take it at once.</summary>
    internal async Task ReleaseAsync()
    {
        var held = _held;
        _held = null;
        if (held is null)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(_options.RenewDeadline / 2, _time);
        var now = _time.GetUtcNow();
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = held.Metadata.ResourceVersion },
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = "",
                // client-go also shortens the duration to one second on release.
                ["leaseDurationSeconds"] = 1,
                ["renewTime"] = MicroTime(now),
            },
        };
        try
        {
            await _leases.PatchAsync(patch, timeout.Token).ConfigureAwait(false);
            LogReleased(_logger, Identity, _key.ToString());
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            // Best effort: otherwise the lease simply expires.
            LogLeaseCallFailed(_logger, _key.ToString(), e);
        }
    }

    /// <summary>
    /// Expiry is judged on our own clock, from when we first saw the current holder/renewTime pair,
    /// not from the renewTime the holder wrote: the holder's clock may be skewed from ours.
    /// </summary>
    private bool ObservedExpired(V1LeaseSpec spec)
    {
        var duration = spec.LeaseDurationSeconds is int seconds and > 0 ? TimeSpan.FromSeconds(seconds) : _options.LeaseDuration;
        return _time.GetElapsedTime(_observedAt) >= duration;
    }

    private void Observe(V1Lease lease)
    {
        var record = string.Create(
            CultureInfo.InvariantCulture,
            $"{lease.Spec?.HolderIdentity}|{lease.Spec?.RenewTime?.Ticks}|{lease.Spec?.LeaseDurationSeconds}");
        if (record != _observedRecord)
        {
            _observedRecord = record;
            _observedAt = _time.GetTimestamp();
        }
    }

    private V1Lease NewLease(DateTimeOffset now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta { Name = _key.Name, NamespaceProperty = _key.Namespace },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = Identity,
            LeaseDurationSeconds = (int)_options.LeaseDuration.TotalSeconds,
            AcquireTime = now.UtcDateTime,
            RenewTime = now.UtcDateTime,
            LeaseTransitions = 0,
        },
    };

    /// <summary>The client reads MicroTime values as DateTime of any kind; they are UTC on the wire.</summary>
    private static DateTimeOffset Utc(DateTime value) =>
        new(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static string MicroTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string DefaultIdentity()
    {
        var pod = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName;
        // The suffix keeps a restarted pod with the same name from inheriting its predecessor's lease.
        return pod + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }
}
