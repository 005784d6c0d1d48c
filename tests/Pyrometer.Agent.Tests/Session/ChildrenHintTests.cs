using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Session;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Session;

public sealed class ChildrenHintTests
{
    [Theory]
    [InlineData("cpu", 4, "no Python thread was running (the target was idle); it has 4 Python child processes: add -s (--subprocesses) to sample them too, or try --mode wall to see where it waits")]
    [InlineData("gil", 4, "no thread held the GIL (the target was idle); it has 4 Python child processes: add -s (--subprocesses) to sample them too, or try --mode wall to see where it waits")]
    [InlineData("cpu", 0, "no Python thread was running (the target was idle); try --mode wall to see where it waits")]
    [InlineData("wall", 1, "no Python thread could be read; it has a Python child process: add -s (--subprocesses) to sample it too")]
    public void NoSamples_IsWordedForTheModeAndTheChildren(string mode, int children, string expected) =>
        Assert.Equal(expected, ChildrenHint.NoSamples(ModeOption.Parse(mode, []), children));

    [Fact]
    public void Result_IdleParentOfFourPythonChildren_SaysAddS()
    {
        var settings = new RecordSettings { Target = new TargetSelector(7, null, []), Mode = SamplingMode.Gil };
        var stats = new SamplerStats { Ticks = 100, Elapsed = TimeSpan.FromSeconds(1) };

        var result = ResultBuilder.Build(settings, DateTimeOffset.UnixEpoch, stats, new ProfileBuilder().Build(ProfileMetadata.None), [],
            new Dictionary<int, long>(), [], new Dictionary<string, Pyrometer.Agent.Upload.UploadOutcome>(), launchedTarget: false, pythonChildren: 4);

        Assert.Equal(ErrorCodes.AgentFailed, result.Error!.Code);
        Assert.Contains("no samples: no thread held the GIL", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("it has 4 Python child processes: add -s (--subprocesses)", result.Error.Message, StringComparison.Ordinal);
    }
}
