using System.Text.Json;
using Pyrometer.Kubectl.Api;
using Pyrometer.Kubectl.Cli;
using Pyrometer.Kubectl.Record;

namespace Pyrometer.Kubectl.Tests.Record;

public sealed class SummaryRendererTests
{
    [Fact]
    public void Render_Succeeded_TopFunctionsAndBlockedLoop()
    {
        var request = Read("""
            {"metadata": {"name": "r1", "namespace": "shop"},
             "status": {"phase": "Succeeded", "reason": "Completed", "message": "2 of 2 pods profiled",
               "targets": [{"pod": "a", "phase": "Succeeded"}, {"pod": "b", "phase": "Succeeded"}],
               "summary": {"samples": 12345, "missedSamples": 7,
                 "topFunctions": [{"function": "normalise_text", "location": "app.py:42", "selfPercent": 41.24}, {"function": "dumps", "location": "json/__init__.py:231", "selfPercent": 3}],
                 "eventLoopBlocked": {"totalMs": 1200, "count": 3, "worstMs": 800, "worstFunction": "slow_io", "worstStack": ["handle (app.py:10)", "slow_io (app.py:20)"], "worstPod": "b"}}}}
            """);

        var text = SummaryRenderer.Render(request);

        Assert.Equal("""
            ProfileRequest shop/r1: Succeeded (Completed)
              2 of 2 pods profiled
            Samples: 12,345, 7 missed, over 2 pods
            Top functions (self time):
                41.2%  normalise_text  app.py:42
                 3.0%  dumps  json/__init__.py:231
            Blocked event loop: 3 blocks, 1,200 ms in total; the worst 800 ms in slow_io (pod b)
                handle (app.py:10)
                slow_io (app.py:20)

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
        Assert.Equal(ExitCodes.Ok, RecordOutcome.ExitCode(request));
    }

    [Fact]
    public void Render_Failed_NamesTheFailedPods()
    {
        var request = Read("""
            {"metadata": {"name": "r2", "namespace": "shop"},
             "status": {"phase": "Failed", "reason": "AgentFailed", "message": "no pod could be profiled",
               "targets": [{"pod": "a", "phase": "Failed", "reason": "PythonNotFound", "message": "no Python process in container app"}]}}
            """);

        var text = SummaryRenderer.Render(request);

        Assert.Contains("pod a failed (PythonNotFound): no Python process in container app", text, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, RecordOutcome.ExitCode(request));
    }

    [Theory]
    [InlineData("True", 3)]
    [InlineData("False", 0)]
    [InlineData("Unknown", 0)]
    public void ExitCode_FollowsTheRegressedCondition(string status, int exit)
    {
        var request = Read($$$"""
            {"status": {"phase": "Succeeded", "conditions": [{"type": "Ready", "status": "True"}, {"type": "Regressed", "status": "{{{status}}}", "reason": "R", "message": "m"}]}}
            """);

        Assert.Equal(exit, RecordOutcome.ExitCode(request));
        Assert.Contains($"Regressed: {status} (R): m", SummaryRenderer.Render(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EscapeSequencesFromStatus_AreNeutralised()
    {
        var request = Read("""
            {"metadata": {"name": "r3", "namespace": "shop"},
             "status": {"phase": "Succeeded", "reason": "Completed", "message": "\u001b]0;pwned\u0007\u001b[2J",
               "summary": {"samples": 1, "topFunctions": [{"function": "f\u001b[31m", "location": "x.py:1", "selfPercent": 100}]}}}
            """);

        var text = SummaryRenderer.Render(request);

        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
    }

    [Fact]
    public void Progress_Running_CountsDownFromTheStartTime()
    {
        var request = Read("""{"status": {"phase": "Running", "reason": "Sampling", "startTime": "2026-11-21T06:00:00Z", "targets": [{"pod": "a", "phase": "Running"}, {"pod": "b", "phase": "Running"}]}}""");
        var start = DateTimeOffset.Parse("2026-11-21T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("Running (Sampling): 21s left (2 pods)", ProgressRenderer.Render(request, TimeSpan.FromSeconds(30), start.AddSeconds(9.5)));
        Assert.Equal("Running (Sampling): sampling done, collecting the profiles (2 pods)", ProgressRenderer.Render(request, TimeSpan.FromSeconds(30), start.AddSeconds(31)));
    }

    [Fact]
    public void Progress_BeforeTheOperatorAnswers_SaysSo()
    {
        var request = Read("""{"metadata": {"name": "x"}}""");

        Assert.Equal("Pending (waiting for the operator): waiting for the agent to start", ProgressRenderer.Render(request, TimeSpan.FromSeconds(30), DateTimeOffset.UnixEpoch));
    }

    private static ProfileRequestView Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ProfileRequestClient.Read(document.RootElement.Clone());
    }
}
