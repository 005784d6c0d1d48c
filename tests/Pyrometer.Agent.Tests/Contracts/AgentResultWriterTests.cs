using System.Text;
using Pyrometer.Agent.Contracts;

namespace Pyrometer.Agent.Tests.Contracts;

public sealed class AgentResultWriterTests
{
    private static AgentResult Big(int functions, int processes) => new()
    {
        StartedAt = new DateTimeOffset(2026, 11, 21, 10, 0, 1, TimeSpan.Zero),
        DurationSeconds = 30,
        Rate = 100,
        Samples = 2935,
        Top = Enumerable.Range(0, functions).Select(i => new ResultFunction($"function_with_a_long_name_{i}", $"/srv/app/module_{i}.py", i, 1.5)).ToArray(),
        Processes = Enumerable.Range(0, processes).Select(i => new ResultProcess(100 + i, $"gunicorn: worker [app:app] number {i}", "3.12.7", 10)).ToArray(),
        Artifacts = [new ResultArtifact("flamegraph", 182331, new string('a', 64), true)],
    };

    [Fact]
    public void ToUtf8_SmallResult_RoundTrips()
    {
        var result = Big(3, 2);

        var parsed = AgentResultWriter.Parse(AgentResultWriter.ToUtf8(result));

        Assert.NotNull(parsed);
        Assert.Equal(result.Samples, parsed.Samples);
        Assert.Equal(result.Top, parsed.Top);
        Assert.Equal(result.Processes, parsed.Processes);
        Assert.Equal(result.Artifacts, parsed.Artifacts);
        Assert.Equal(result.StartedAt, parsed.StartedAt);
    }

    [Fact]
    public void ToUtf8_WritesExactlyWhatTheReadingContextWrites()
    {
        // The writer uses generated serialisation code (start-up cost); the bytes must not differ
        // from those of the metadata context the operator reads with, nulls and all.
        var full = Big(2, 2) with { Status = ResultStatus.Error, Error = new AgentError(ErrorCodes.AgentFailed, "the \"target\" exited \u00e9") };
        var sparse = new AgentResult { DurationSeconds = 0.25 };

        foreach (var result in new[] { full, sparse })
        {
            var expected = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(result, ContractsJsonContext.Default.AgentResult);
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(AgentResultWriter.ToUtf8(result)));
        }
    }

    [Fact]
    public void ToUtf8_UsesTheContractsFieldNames()
    {
        var json = Encoding.UTF8.GetString(AgentResultWriter.ToUtf8(Big(1, 1)));

        Assert.StartsWith("{\"schema\":\"pyrometer.dev/result/v1\",\"status\":\"ok\"", json, StringComparison.Ordinal);
        foreach (var field in new[] { "\"startedAt\"", "\"durationSeconds\"", "\"missedSamples\"", "\"errorSamples\"", "\"selfPercent\"", "\"sha256\"", "\"uploaded\"" })
        {
            Assert.Contains(field, json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToUtf8_TooBig_DropsTopEntriesFirstThenProcesses()
    {
        var bytes = AgentResultWriter.ToUtf8(Big(60, 60));

        Assert.True(bytes.Length <= AgentResultWriter.MaxBytes, $"{bytes.Length} bytes");
        var parsed = AgentResultWriter.Parse(bytes)!;
        Assert.Empty(parsed.Top);
        Assert.InRange(parsed.Processes.Count, 1, 59);
        Assert.Equal(100, parsed.Processes[0].Pid);
    }

    [Fact]
    public void ToUtf8_SomeTopTrimmed_KeepsTheHottestFirst()
    {
        var parsed = AgentResultWriter.Parse(AgentResultWriter.ToUtf8(Big(40, 2)))!;

        Assert.InRange(parsed.Top.Count, 1, 39);
        Assert.Equal("function_with_a_long_name_0", parsed.Top[0].Function);
        Assert.Equal(2, parsed.Processes.Count);
    }

    [Fact]
    public void ToUtf8_HugeErrorMessage_IsShortenedToFit()
    {
        var result = new AgentResult { Status = ResultStatus.Error, Error = new AgentError(ErrorCodes.NotPython, new string('x', 10_000)) };

        var bytes = AgentResultWriter.ToUtf8(result);

        Assert.True(bytes.Length <= AgentResultWriter.MaxBytes);
        Assert.Equal(ErrorCodes.NotPython, AgentResultWriter.Parse(bytes)!.Error!.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"schema\":\"other/v9\"}")]
    [InlineData("[1,2]")]
    public void Parse_NotAResult_ReturnsNull(string text)
    {
        Assert.Null(AgentResultWriter.Parse(Encoding.UTF8.GetBytes(text)));
    }

    private static ResultLoopBlocking Blocked(int frames) => new(1234, 14, 340, "get",
        Enumerable.Range(0, frames).Select(i => $"frame_with_a_long_name_{i} (/srv/app/some/deep/package/module_{i}.py:{i})").ToArray())
    {
        WorstPid = 101,
    };

    [Fact]
    public void ToUtf8_EventLoopBlocked_RoundTripsUnderItsContractName()
    {
        var result = Big(2, 1) with { EventLoopBlocked = Blocked(3) };

        var bytes = AgentResultWriter.ToUtf8(result);
        var parsed = AgentResultWriter.Parse(bytes)!.EventLoopBlocked!;

        Assert.Contains("\"eventLoopBlocked\":{\"totalMs\":1234,\"count\":14,\"worstMs\":340,\"worstFunction\":\"get\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(result.EventLoopBlocked!.WorstStack, parsed.WorstStack);
        Assert.Equal(101, parsed.WorstPid);
    }

    [Fact]
    public void ToUtf8_TooBig_TrimsTheBlockedStackAfterTopAndBeforeProcesses()
    {
        var bytes = AgentResultWriter.ToUtf8(Big(20, 60) with { EventLoopBlocked = Blocked(40) });

        Assert.True(bytes.Length <= AgentResultWriter.MaxBytes, $"{bytes.Length} bytes");
        var parsed = AgentResultWriter.Parse(bytes)!;
        Assert.Empty(parsed.Top);
        Assert.Equal("frame_with_a_long_name_0 (/srv/app/some/deep/package/module_0.py:0)", Assert.Single(parsed.EventLoopBlocked!.WorstStack));
        Assert.Equal(1234, parsed.EventLoopBlocked.TotalMs);
        Assert.InRange(parsed.Processes.Count, 1, 59);
    }

    [Theory]
    [InlineData(1234, 14, 340, "get", new[] { "search_listings (app.py:42)", "get (api.py:7)" }, "event loop blocked 1.2 s in 14 blocks; worst 340 ms in get from search_listings (app.py:42)")]
    [InlineData(600, 1, 600, "handler", new[] { "handler (app.py:3)" }, "event loop blocked 600 ms in 1 block; worst 600 ms in handler (app.py:3)")]
    [InlineData(900, 2, 500, "blocking_io", new[] { "io_request (t.py:70)", "timed (t.py:66)", "blocking_io (t.py:53)" }, "event loop blocked 900 ms in 2 blocks; worst 500 ms in blocking_io from timed (t.py:66)")]
    [InlineData(340, 1, 340, "request", new[] { "search (app.py:42)", "get (/usr/lib/python3/dist-packages/requests/api.py:73)", "request (/usr/lib/python3/dist-packages/requests/api.py:59)" }, "event loop blocked 340 ms in 1 block; worst 340 ms in request from search (app.py:42)")]
    [InlineData(150, 1, 150, "sleep", new string[0], "event loop blocked 150 ms in 1 block; worst 150 ms in sleep")]
    public void Describe_IsTheHumanLine(long total, int count, long worst, string function, string[] stack, string expected) =>
        Assert.Equal(expected, new ResultLoopBlocking(total, count, worst, function, stack).Describe());
}
