using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Session;
using Pyrometer.Agent.Upload;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Session;

public sealed class ResultBuilderTests
{
    private static readonly RecordSettings Timed = new() { Target = new TargetSelector(7, null, []), Duration = TimeSpan.FromSeconds(10) };
    private static readonly ProcessSeen[] OneProcess = [new(7, "python app.py", "3.12.1")];
    private static readonly Dictionary<string, UploadOutcome> NoUploads = [];

    private static Profile Profile()
    {
        var builder = new ProfileBuilder();
        var hot = builder.InternPython("hot", "app.py", 3);
        var main = builder.InternPython("<module>", "app.py", 9);
        builder.AddSample([main, hot], 3);
        builder.AddSample([main], 1);
        return builder.Build(ProfileMetadata.None);
    }

    private static AgentResult Build(SamplerStats stats, Dictionary<string, UploadOutcome>? uploads = null, bool launched = false) =>
        ResultBuilder.Build(Timed, DateTimeOffset.UnixEpoch, stats, Profile(), OneProcess, new Dictionary<int, long> { [7] = 4 },
            [new WrittenArtifact("flamegraph", "/tmp/x.svg", 10, "ab")], uploads ?? NoUploads, launched);

    [Fact]
    public void Build_FullDuration_IsOkWithTopFunctionsAndProcessCounts()
    {
        var result = Build(new SamplerStats { Samples = 4, Ticks = 4, StoppedBecause = StopReason.DurationElapsed });

        Assert.Equal(ResultStatus.Ok, result.Status);
        Assert.Equal("hot", result.Top[0].Function);
        Assert.Equal(75.0, result.Top[0].SelfPercent);
        Assert.Equal(4, result.Processes[0].Samples);
        Assert.Equal(0, ResultBuilder.ExitCode(result));
    }

    [Fact]
    public void Build_TargetExitedMidProfile_IsPartialAndExitsZero()
    {
        var result = Build(new SamplerStats { Samples = 4, Ticks = 40, StoppedBecause = StopReason.TargetExited });

        Assert.Equal(ResultStatus.Partial, result.Status);
        Assert.Equal(ErrorCodes.TargetExited, result.Error!.Code);
        Assert.Equal(0, ResultBuilder.ExitCode(result));
    }

    [Fact]
    public void Build_LaunchedCommandFinished_IsOk()
    {
        var result = Build(new SamplerStats { Samples = 4, Ticks = 40, StoppedBecause = StopReason.TargetExited }, launched: true);

        Assert.Equal(ResultStatus.Ok, result.Status);
    }

    [Fact]
    public void Build_SignalBeforeDuration_IsPartial()
    {
        var result = Build(new SamplerStats { Samples = 4, Ticks = 4, StoppedBecause = StopReason.Cancelled });

        Assert.Equal(ResultStatus.Partial, result.Status);
        Assert.Equal(ErrorCodes.Stopped, result.Error!.Code);
    }

    [Fact]
    public void Build_UploadFailed_IsPartialWithExitCode6()
    {
        var result = Build(new SamplerStats { Samples = 4, Ticks = 4, StoppedBecause = StopReason.DurationElapsed },
            new Dictionary<string, UploadOutcome> { ["flamegraph"] = new(false, 6, "http://s3/k answered 500") });

        Assert.Equal(ResultStatus.Partial, result.Status);
        Assert.Equal(ErrorCodes.UploadFailed, result.Error!.Code);
        Assert.False(result.Artifacts[0].Uploaded);
        Assert.Equal("http://s3/k answered 500", result.Artifacts[0].UploadError);
        Assert.Equal(6, ResultBuilder.ExitCode(result));
    }

    [Fact]
    public void Build_NoSamplesFromAnIdleTarget_IsAnErrorSuggestingWallMode()
    {
        var result = Build(new SamplerStats { Samples = 0, Ticks = 400, StoppedBecause = StopReason.DurationElapsed });

        Assert.Equal(ResultStatus.Error, result.Status);
        Assert.Contains("--mode wall", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TargetGoneBeforeFirstSample_IsProcessNotFoundExit3()
    {
        var result = Build(new SamplerStats { Samples = 0, Ticks = 1, StoppedBecause = StopReason.TargetExited });

        Assert.Equal(ErrorCodes.ProcessNotFound, result.Error!.Code);
        Assert.Equal(3, ResultBuilder.ExitCode(result));
    }

    [Theory]
    [InlineData(ErrorCodes.ProcessNotFound, 3)]
    [InlineData(ErrorCodes.PermissionDenied, 4)]
    [InlineData(ErrorCodes.NotPython, 5)]
    [InlineData(ErrorCodes.UnsupportedPython, 5)]
    [InlineData(ErrorCodes.AgentFailed, 1)]
    public void ExitCode_Errors_FollowTheContract(string code, int exit)
    {
        Assert.Equal(exit, ResultBuilder.ExitCode(ResultBuilder.Failed(Timed, DateTimeOffset.UnixEpoch, code, "m")));
    }
}
