using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pyrometer.Kube.Testing;
using Pyrometer.Kubectl.Cli;
using Pyrometer.Kubectl.Kube;
using Pyrometer.Kubectl.Record;

namespace Pyrometer.Kubectl.Tests.Record;

public sealed class RecordCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("kubectl-pyrometer-").FullName;
    private readonly StringWriter _output = new();
    private readonly StringWriter _progress = new();

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _output.Dispose();
        _progress.Dispose();
    }

    [Fact]
    public async Task Run_PodSucceeds_FollowsItPrintsTheSummaryAndDownloads()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await using var files = await ArtifactServer.StartAsync();
        var svg = Encoding.UTF8.GetBytes("<svg>flame</svg>");
        var url = files.Put("flamegraph.svg", svg);
        using var http = new HttpClient();
        var progress = TextWriter.Synchronized(_progress);
        var command = new RecordCommand(cluster.Connection, _output, progress, interactive: false, TimeProvider.System, http);

        var run = command.RunAsync(Settings("pod/" + FakeCluster.Pod, "-d", "10s", "--name", "shop-run", "-o", _directory), CancellationToken.None);
        var stored = await WaitForRequestAsync(cluster, "shop-run");
        // Once the first state is shown, the watch resumes from it: every later change arrives, in order.
        await WaitForAsync(() => _progress.ToString().Contains("Pending", StringComparison.Ordinal));
        Assert.Equal(FakeCluster.Pod, (string?)stored["spec"]!["target"]!["pod"]);
        Assert.Equal("10s", (string?)stored["spec"]!["duration"]);
        SetStatus(cluster, "shop-run", """{"phase": "Running", "reason": "Sampling", "startTime": "2026-11-21T06:00:00Z"}""");
        SetStatus(cluster, "shop-run", $$"""
            {"phase": "Succeeded", "reason": "Completed", "message": "1 of 1 pods profiled",
             "targets": [{"pod": "{{FakeCluster.Pod}}", "phase": "Succeeded", "samples": 980}],
             "summary": {"samples": 980, "topFunctions": [{"function": "normalise_text", "location": "app.py:42", "selfPercent": 61.5}]},
             "artifacts": [{"format": "flamegraph", "pod": "", "url": "{{url}}", "bytes": {{svg.Length}}, "sha256": "{{Sha(svg)}}"}]}
            """);
        var exit = await run.WaitAsync(Patience);

        Assert.Equal(ExitCodes.Ok, exit);
        var text = _output.ToString();
        Assert.Contains("profilerequest.pyrometer.dev/shop-run created in namespace shop", text, StringComparison.Ordinal);
        Assert.Contains("Succeeded (Completed)", text, StringComparison.Ordinal);
        Assert.Contains("61.5%  normalise_text  app.py:42", text, StringComparison.Ordinal);
        Assert.Contains("Running (Sampling)", _progress.ToString(), StringComparison.Ordinal);
        Assert.Equal(svg, await File.ReadAllBytesAsync(Path.Combine(_directory, "merged-flamegraph.svg")));
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RegressedTrue_PrintsTheComparisonAndExitsThree()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new HttpClient();
        var command = new RecordCommand(cluster.Connection, _output, _progress, interactive: false, TimeProvider.System, http);

        var run = command.RunAsync(Settings("deploy/shop", "--baseline", "latest", "--threshold", "3", "--name", "after", "--no-download"), CancellationToken.None);
        var stored = await WaitForRequestAsync(cluster, "after");
        SetStatus(cluster, "after", """
            {"phase": "Succeeded", "reason": "Completed",
             "comparison": {"baseline": "before-1", "threshold": 3, "beforeSamples": 1000, "afterSamples": 1200,
               "grew": [{"function": "handle_quote", "file": "app.py", "selfChange": 10.5, "totalChange": 12.4, "selfBefore": 1, "selfAfter": 11.5, "totalBefore": 2, "totalAfter": 14.4}],
               "shrank": [{"function": "parse", "file": "lib.py", "selfChange": -4, "totalChange": -4.25, "selfBefore": 5, "selfAfter": 1, "totalBefore": 6, "totalAfter": 1.75}]},
             "conditions": [{"type": "Regressed", "status": "True", "reason": "FunctionGrew", "message": "handle_quote (app.py) grew 12.4 pp total, over the 3 pp threshold"}]}
            """);
        var exit = await run.WaitAsync(Patience);

        Assert.Equal(ExitCodes.Regressed, exit);
        Assert.Equal("latest", (string?)stored["spec"]!["baseline"]);
        Assert.Equal(3, (double)stored["spec"]!["regressionThreshold"]!);
        var text = _output.ToString();
        Assert.Contains("Compared with before-1 (threshold 3 pp; 1,000 samples before, 1,200 after):", text, StringComparison.Ordinal);
        Assert.Contains("grew    total   +12.40 pp  self   +10.50 pp  handle_quote (app.py)", text, StringComparison.Ordinal);
        Assert.Contains("shrank  total    -4.25 pp", text, StringComparison.Ordinal);
        Assert.Contains("Regressed: True (FunctionGrew): handle_quote (app.py) grew 12.4 pp total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Deployment_TargetsTheDeploymentsSelector()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new HttpClient();
        var command = new RecordCommand(cluster.Connection, _output, _progress, interactive: false, TimeProvider.System, http);

        var run = command.RunAsync(Settings("deploy/shop", "--max-pods", "2", "--name", "by-deploy"), CancellationToken.None);
        var stored = await WaitForRequestAsync(cluster, "by-deploy");
        SetStatus(cluster, "by-deploy", """{"phase": "Failed", "reason": "NoPodsMatched", "message": "no Running pod matches"}""");
        var exit = await run.WaitAsync(Patience);

        Assert.Equal(ExitCodes.Failed, exit);
        var target = stored["spec"]!["target"]!;
        Assert.Null(target["pod"]);
        Assert.Equal(2, (int)target["maxPods"]!);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"matchLabels": {"app": "shop"}, "matchExpressions": [{"key": "track", "operator": "NotIn", "values": ["canary"]}]}"""),
            target["selector"]));
        Assert.Contains("Failed (NoPodsMatched)", _output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_WatchDropped_StillSeesTheEnd(bool abort)
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new HttpClient();
        var progress = TextWriter.Synchronized(_progress);
        var command = new RecordCommand(cluster.Connection, _output, progress, interactive: false, TimeProvider.System, http);

        var run = command.RunAsync(Settings("pod/" + FakeCluster.Pod, "--name", "dropped", "--no-download"), CancellationToken.None);
        await WaitForRequestAsync(cluster, "dropped");
        await WaitForAsync(() => _progress.ToString().Contains("Pending", StringComparison.Ordinal));
        SetStatus(cluster, "dropped", """{"phase": "Running", "reason": "Sampling"}""");
        cluster.Server.Store.DropWatches(abort);
        SetStatus(cluster, "dropped", """{"phase": "Succeeded", "reason": "Completed"}""");
        var exit = await run.WaitAsync(Patience);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("Succeeded (Completed)", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Interrupted_LeavesTheRequestAndSaysHowToDeleteIt()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new HttpClient();
        using var cancel = new CancellationTokenSource();
        var command = new RecordCommand(cluster.Connection, _output, _progress, interactive: false, TimeProvider.System, http);

        var run = command.RunAsync(Settings("pod/" + FakeCluster.Pod, "--name", "left"), cancel.Token);
        await WaitForRequestAsync(cluster, "left");
        await cancel.CancelAsync();
        var exit = await run.WaitAsync(Patience);

        Assert.Equal(ExitCodes.Interrupted, exit);
        Assert.NotNull(cluster.Server.Stored("profilerequests", FakeCluster.Namespace, "left"));
        Assert.Contains("kubectl delete profilerequest left -n shop", _output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pod/missing", "pod missing not found in namespace shop")]
    [InlineData("deploy/missing", "deployment missing not found in namespace shop")]
    public async Task Run_MissingTarget_OneLineAndNoRequest(string target, string message)
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new HttpClient();
        var command = new RecordCommand(cluster.Connection, _output, _progress, interactive: false, TimeProvider.System, http);

        var error = await Assert.ThrowsAsync<PluginException>(() => command.RunAsync(Settings(target, "--name", "never"), CancellationToken.None));

        Assert.Equal(message, error.Message);
        Assert.Null(cluster.Server.Stored("profilerequests", FakeCluster.Namespace, "never"));
    }

    [Fact]
    public async Task Run_CrdMissing_SaysTheOperatorIsNotInstalled()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Server.Fail("POST", "/profilerequests", 404, "NotFound", times: -1, message: "the server could not find the requested resource");
        using var http = new HttpClient();
        var command = new RecordCommand(cluster.Connection, _output, _progress, interactive: false, TimeProvider.System, http);

        var error = await Assert.ThrowsAsync<PluginException>(() => command.RunAsync(Settings("pod/" + FakeCluster.Pod), CancellationToken.None));

        Assert.Equal(KubeErrors.CrdMissing, error.Message);
    }

    [Fact]
    public async Task Run_Forbidden_QuotesTheServer()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Server.Fail("POST", "/profilerequests", 403, "Forbidden", times: -1,
            message: "profilerequests.pyrometer.dev is forbidden: User \"dev\" cannot create resource \"profilerequests\" in the namespace \"shop\"");
        using var http = new HttpClient();
        var command = new RecordCommand(cluster.Connection, _output, _progress, interactive: false, TimeProvider.System, http);

        var error = await Assert.ThrowsAsync<PluginException>(() => command.RunAsync(Settings("pod/" + FakeCluster.Pod, "--name", "denied"), CancellationToken.None));

        Assert.StartsWith("forbidden: cannot create profilerequest denied in namespace shop: profilerequests.pyrometer.dev is forbidden: User \"dev\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static RecordSettings Settings(params string[] args)
    {
        var options = new RecordOptions();
        var command = new System.CommandLine.Command("record");
        foreach (var symbol in options.All)
        {
            switch (symbol)
            {
                case System.CommandLine.Option option:
                    command.Options.Add(option);
                    break;
                case System.CommandLine.Argument argument:
                    command.Arguments.Add(argument);
                    break;
            }
        }
        var errors = new List<string>();
        return options.Bind(command.Parse(args, KubectlCommandLine.Configuration), errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
    }

    // Waits for the object the command creates; the bound is generous and only guards against a hang.
    private static async Task<JsonObject> WaitForRequestAsync(FakeCluster cluster, string name)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (cluster.Server.Stored("profilerequests", FakeCluster.Namespace, name) is { } stored)
            {
                return stored;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"profilerequest {name} was never created");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the command never got there");
            await Task.Delay(20);
        }
    }

    private static void SetStatus(FakeCluster cluster, string name, string status)
    {
        var patch = new JsonObject { ["status"] = JsonNode.Parse(status) };
        var result = cluster.Server.Store.Patch(FakeApiServer.Resource("profilerequests"), FakeCluster.Namespace, name, patch, "status");
        Assert.Equal(200, result.Code);
    }

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
