using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pyrometer.EndToEnd.Tests.Support;

namespace Pyrometer.EndToEnd.Tests.Scenarios;

/// <summary>
/// <c>mode: async</c> on the demo service (issue #14): /listings awaits an N+1 query pattern on the PostgreSQL pod
/// with asyncpg, /quote calls a 100 ms blocking function inside <c>async def</c>. The flamegraph shows the queries
/// under the endpoint's task and the blocking call on the loop; the status reports the blocked loops.
/// </summary>
[Collection(ClusterScenarios.Name)]
public sealed partial class AsyncModeTests(ClusterFixture cluster)
{
    private const int Seconds = 8;
    private const int ThresholdMs = 100;   // the agent's default --blocked-threshold
    private const string BlockingFunction = "lookup_exchange_rate";

    [EndToEndFact]
    public async Task AsyncMode_ListingsQueriesAwaitUnderItsTask_QuoteBlocksTheLoop_StatusHasTheBlockedLoopLine()
    {
        await cluster.Operator.EnsureRunningAsync(ArtifactStoreKind.S3);
        var pod = await cluster.DemoPodAsync();
        var address = await cluster.PodAddressAsync(pod);
        var workers = await DemoPod.WorkerPidsAsync(cluster.Kubectl, pod);
        var queries = await ListingsQueriesAsync(address);
        using var load = new LoadGenerator();
        load.Start([address], "/listings?limit=20", connections: 4, TimeSpan.FromSeconds(Seconds + 60));
        load.Start([address], "/quote", connections: 2, TimeSpan.FromSeconds(Seconds + 60));
        var name = ProfileRequests.UniqueName("async");

        await cluster.Requests.CreateAsync(name, $"""
              target:
                pod: {pod}
              duration: {Seconds}s
              mode: async
              formats: [flamegraph, folded]
            """);
        var status = await cluster.Requests.WaitForPhaseAsync(name, TimeSpan.FromSeconds(Seconds + 30), "Succeeded", "Failed");
        load.Dispose();

        Assert.True(ProfileRequests.Reason(status) == "Completed", status.ToString());
        var artifacts = ProfileRequests.Artifacts(status).Where(a => a.Pod == pod).ToDictionary(a => a.Format, a => a.Artifact);
        var folded = new FoldedProfile(await Artifacts.DownloadVerifiedAsync(artifacts["folded"]));
        var svg = new FlameGraphSvg(await Artifacts.DownloadVerifiedAsync(artifacts["flamegraph"]));

        // /listings: its task's stacks end in asyncpg's await, the N+1's per-row queries under fetch_reviews
        var handlerQueries = folded.Stacks
            .Where(s => DemoFrames.IsAwait(s.Frames[^1])
                && DemoFrames.HasInOrder(s.Frames, DemoFrames.IsTask, f => DemoFrames.IsApp(f, "listings"), DemoFrames.IsAsyncpgQuery))
            .ToList();
        var perRow = handlerQueries
            .Where(s => DemoFrames.HasInOrder(s.Frames, f => DemoFrames.IsApp(f, "listings"), f => DemoFrames.IsApp(f, "fetch_reviews"), DemoFrames.IsAsyncpgQuery))
            .Sum(s => s.Count);
        var awaiting = handlerQueries.Sum(s => s.Count);
        Assert.True(awaiting >= 30, $"only {awaiting} samples of /listings' task awaiting asyncpg (of {folded.Samples}); task stacks:\n{TaskStacks(folded)}");
        // The service answered with `queries` round trips, all but one of them per row in fetch_reviews: that
        // share of the awaits (20/21) is expected; half is far below it at 30 samples and more.
        Assert.True(perRow * 2 > awaiting, $"{perRow} of /listings' {awaiting} query awaits under fetch_reviews; {queries - 1} of its {queries} queries are there");
        Assert.True(svg.HasNestedPath(
            DemoFrames.IsTask, f => DemoFrames.IsApp(f, "listings"), f => DemoFrames.IsApp(f, "fetch_reviews"), DemoFrames.IsAsyncpgQuery, DemoFrames.IsAwait),
            "the flamegraph has no [task] > listings > fetch_reviews > Connection.fetch > [await] path");

        // /quote: its blocking call is on the loop threads' own stacks, inside the loop's callback
        var threadStacks = folded.Stacks.Where(s => !s.Frames.Any(DemoFrames.IsTask)).ToList();
        Assert.Contains(threadStacks, s => DemoFrames.HasInOrder(s.Frames,
            DemoFrames.IsLoopCallback, f => DemoFrames.IsApp(f, "quote"), f => DemoFrames.IsApp(f, BlockingFunction)));

        // the blocked loops: figures that add up, in this pod, and the line in the message
        var blocked = status.GetProperty("summary").GetProperty("eventLoopBlocked");
        var count = blocked.GetProperty("count").GetInt32();
        var totalMs = blocked.GetProperty("totalMs").GetInt64();
        var worstMs = blocked.GetProperty("worstMs").GetInt64();
        var worstFunction = blocked.GetProperty("worstFunction").GetString() ?? "";
        Assert.Equal(pod, blocked.GetProperty("worstPod").GetString());
        Assert.True(count >= 1 && worstMs >= ThresholdMs && totalMs >= worstMs, blocked.ToString());
        // a loop cannot be blocked for longer than it was recorded (plus a tick at each end)
        Assert.True(totalMs <= workers.Count * (Seconds + 1) * 1000L, $"{totalMs} ms blocked in {workers.Count} loops over {Seconds} s");
        var worstStack = blocked.GetProperty("worstStack").EnumerateArray().Select(f => f.GetString() ?? "").ToList();
        Assert.InRange(worstStack.Count, 1, 8);
        // The worst block's stack is one the profile recorded: it starts at the service's outermost frame
        // (the status names the handler, not uvicorn's runner) and ends in worstFunction.
        Assert.Contains(threadStacks, s => DemoFrames.Holds(s.Frames, worstStack[0])
            && s.Frames[^1].StartsWith(worstFunction + " (", StringComparison.Ordinal));
        var target = status.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("pod").GetString() == pod);
        Assert.Equal(worstMs, target.GetProperty("eventLoopBlocked").GetProperty("worstMs").GetInt64());
        var line = BlockedLine().Match(ProfileRequests.Message(status));
        Assert.True(line.Success, $"no blocked-loop line in the message: {ProfileRequests.Message(status)}");
        Assert.Equal(count.ToString(CultureInfo.InvariantCulture), line.Groups["count"].Value);
        Assert.Equal(worstFunction, line.Groups["function"].Value);
    }

    // GET /listings once, as its own check that the database answers; returns the round trips it made.
    private static async Task<int> ListingsQueriesAsync(string address)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri($"http://{address}:8000/listings?limit=20"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /listings answered {(int)response.StatusCode}: {body}");
        using var answer = JsonDocument.Parse(body);
        Assert.Equal(20, answer.RootElement.GetProperty("count").GetInt32());
        return answer.RootElement.GetProperty("queries").GetInt32();
    }

    private static string TaskStacks(FoldedProfile folded) => string.Join('\n', folded.Stacks
        .Where(s => s.Frames.Any(DemoFrames.IsTask))
        .OrderByDescending(s => s.Count)
        .Take(5)
        .Select(s => $"{s.Count} {string.Join(';', s.Frames.Skip(1))}"));

    // "event loop blocked 1.2 s in 14 blocks; worst 340 ms in lookup_exchange_rate from …"
    [GeneratedRegex(@"event loop blocked [0-9.]+ m?s in (?<count>\d+) blocks?; worst [0-9.]+ m?s in (?<function>[\w.<>]+)")]
    private static partial Regex BlockedLine();
}
