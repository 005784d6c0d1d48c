using Pyrometer.Kube.LeaderElection;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.LeaderElection;

public sealed class LeaseElectorTests : IAsyncLifetime
{
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);
    private readonly ManualTimeProvider _time = new();
    private FakeApiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TryAcquireOrRenewAsync_TwoCandidates_FirstWinsSecondWaits()
    {
        var a = Elector("a");
        var b = Elector("b");

        var aWon = await a.TryAcquireOrRenewAsync(CancellationToken.None);
        var bWon = await b.TryAcquireOrRenewAsync(CancellationToken.None);
        _time.Advance(RetryPeriod);
        var aRenewed = await a.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.True(aWon);
        Assert.False(bWon);
        Assert.True(aRenewed);
        Assert.True(a.IsLeader);
        Assert.False(b.IsLeader);
        var spec = _server.Stored("leases", "ops", "pyrometer")!["spec"]!;
        Assert.Equal("a", (string?)spec["holderIdentity"]);
        Assert.Equal(15, (int?)spec["leaseDurationSeconds"]);
        Assert.Equal(0, (int?)spec["leaseTransitions"]);
        Assert.Equal("2026-11-21T06:00:02.000000Z", (string?)spec["renewTime"]);
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_NoLease_ClientCreatesItWithMicroTimes()
    {
        var now = _time.GetUtcNow();

        var won = await Elector("a").TryAcquireOrRenewAsync(CancellationToken.None);

        // The create is the official client's typed call: its MicroTime must be what the API server accepts.
        var stored = _server.Stored("leases", "ops", "pyrometer")!;
        var renewTime = (string?)stored["spec"]!["renewTime"];
        Assert.True(won);
        Assert.Equal("coordination.k8s.io/v1", (string?)stored["apiVersion"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", renewTime);
        Assert.Equal(now, DateTimeOffset.Parse(renewTime!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(renewTime, (string?)stored["spec"]!["acquireTime"]);
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_HolderStopsRenewing_OtherTakesOverOnlyAfterExpiry()
    {
        var a = Elector("a");
        var b = Elector("b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        await b.TryAcquireOrRenewAsync(CancellationToken.None);   // b sees a's lease for the first time

        _time.Advance(TimeSpan.FromSeconds(14));
        var beforeExpiry = await b.TryAcquireOrRenewAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var atExpiry = await b.TryAcquireOrRenewAsync(CancellationToken.None);
        var aAfter = await a.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.False(beforeExpiry);
        Assert.True(atExpiry);
        Assert.False(aAfter);
        Assert.False(a.IsLeader);
        var spec = _server.Stored("leases", "ops", "pyrometer")!["spec"]!;
        Assert.Equal("b", (string?)spec["holderIdentity"]);
        Assert.Equal(1, (int?)spec["leaseTransitions"]);
    }

    [Fact]
    public async Task TryAcquireOrRenewAsync_TwoCandidatesRaceForExpiredLease_ExactlyOneWins()
    {
        var a = Elector("a");
        var b = Elector("b");
        var c = Elector("c");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        await b.TryAcquireOrRenewAsync(CancellationToken.None);
        await c.TryAcquireOrRenewAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(16));

        var results = await Task.WhenAll(
            Task.Run(() => b.TryAcquireOrRenewAsync(CancellationToken.None)),
            Task.Run(() => c.TryAcquireOrRenewAsync(CancellationToken.None)));

        Assert.Single(results, won => won);
        var holder = (string?)_server.Stored("leases", "ops", "pyrometer")!["spec"]!["holderIdentity"];
        Assert.Equal(results[0] ? "b" : "c", holder);
    }

    [Fact]
    public async Task RunAsync_RenewKeepsFailing_CancelsLeaderTokenAfterRenewDeadline()
    {
        var a = Elector("a");
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = a.RunAsync(async token =>
        {
            started.TrySetResult(token);
            await Task.Delay(Timeout.Infinite, token);
        }, CancellationToken.None);
        var leaderToken = await started.Task.Guard();
        _server.Fail("PATCH", "/leases/pyrometer", 500, "InternalError", times: -1);

        var lostSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = leaderToken.Register(() => lostSignal.TrySetResult());
        var waited = TimeSpan.Zero;
        while (!leaderToken.IsCancellationRequested)
        {
            var next = _time.NextTimerAsync(d => d == RetryPeriod);
            if (await Task.WhenAny(next, lostSignal.Task).Guard() == next)
            {
                _time.Advance(RetryPeriod);
                waited += RetryPeriod;
            }
        }
        var lost = await run.Guard();

        Assert.True(lost);
        Assert.False(a.IsLeader);
        Assert.Equal(TimeSpan.FromSeconds(10), waited);   // the renew deadline, counted in retry periods
    }

    [Fact]
    public async Task RunAsync_AnotherHolderValid_WaitsThenLeadsAfterExpiry()
    {
        var b = Elector("b");
        await b.TryAcquireOrRenewAsync(CancellationToken.None);
        var a = Elector("a");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = a.RunAsync(async token =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        }, stop.Token);

        while (!started.Task.IsCompleted)
        {
            var next = _time.NextTimerAsync(d => d == RetryPeriod);
            if (await Task.WhenAny(next, started.Task).Guard() == next)
            {
                _time.Advance(RetryPeriod);
            }
        }
        var acquired = (string?)_server.Stored("leases", "ops", "pyrometer")!["spec"]!["acquireTime"];
        await stop.CancelAsync();
        await run.Guard();

        // Attempts every 2 s; the first at or past b's 15 s lease (as a observed it from t=0) is t=16 s.
        Assert.Equal("2026-11-21T06:00:16.000000Z", acquired);
    }

    [Fact]
    public async Task RunAsync_GracefulShutdown_ReleasesLeaseForImmediateTakeover()
    {
        var a = Elector("a");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = a.RunAsync(async token =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        }, stop.Token);
        await started.Task.Guard();
        var b = Elector("b");
        var bWhileHeld = await b.TryAcquireOrRenewAsync(CancellationToken.None);

        await stop.CancelAsync();
        var lost = await run.Guard();
        var bAfterRelease = await b.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.False(lost);
        Assert.False(bWhileHeld);
        Assert.True(bAfterRelease);
        Assert.Equal("b", (string?)_server.Stored("leases", "ops", "pyrometer")!["spec"]!["holderIdentity"]);
    }

    [Fact]
    public async Task RunAsync_LeaderWorkFails_ReleasesLeaseAndRethrows()
    {
        var a = Elector("a");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = a.RunAsync(async _ =>
        {
            await release.Task;
            throw new InvalidOperationException("reconciler crashed");
        }, CancellationToken.None);
        await _time.NextTimerAsync(d => d == RetryPeriod).Guard();   // leading and waiting to renew
        release.TrySetResult();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.Guard());

        Assert.Equal("reconciler crashed", error.Message);
        Assert.False(a.IsLeader);
        Assert.Equal("", (string?)_server.Stored("leases", "ops", "pyrometer")!["spec"]!["holderIdentity"]);
    }

    [Fact]
    public void Constructor_DefaultIdentity_IsHostPlusRandomSuffix()
    {
        var api = TestApi.Create(_server);
        var options = new LeaderElectionOptions { LeaseNamespace = "ops" };

        var first = new LeaseElector(api, options).Identity;
        var second = new LeaseElector(api, options).Identity;

        Assert.NotEqual(first, second);
        Assert.Matches("^.+_[0-9a-f]{8}$", first);
    }

    [Theory]
    [InlineData(15, 15, 2)]
    [InlineData(15, 10, 10)]
    [InlineData(15, 10, 0)]
    public void Constructor_InconsistentTimings_Throws(int duration, int renewDeadline, int retry)
    {
        var options = new LeaderElectionOptions
        {
            LeaseDuration = TimeSpan.FromSeconds(duration),
            RenewDeadline = TimeSpan.FromSeconds(renewDeadline),
            RetryPeriod = TimeSpan.FromSeconds(retry),
        };

        Assert.Throws<ArgumentException>(() => new LeaseElector(TestApi.Create(_server), options));
    }

    private LeaseElector Elector(string identity) =>
        new(
            TestApi.Create(_server, TestApi.FastOptions(maxRetries: 0), _time),
            new LeaderElectionOptions { LeaseNamespace = "ops", LeaseName = "pyrometer", Identity = identity },
            time: _time);
}
