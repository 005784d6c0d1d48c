using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Injection;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Injection;

public sealed class AgentArgsBuilderTests
{
    private static readonly KeyValuePair<string, Uri>[] Uploads =
    [
        new(ProfileFormats.FlameGraph, new Uri("https://store.test/up/flamegraph.svg?sig=1")),
        new(ProfileFormats.Speedscope, new Uri("https://store.test/up/speedscope.json?sig=2")),
    ];

    [Fact]
    public void Build_Defaults_FollowTheAgentContract()
    {
        var args = AgentArgsBuilder.Build(Request().Spec, TimeSpan.FromSeconds(30), Uploads);

        Assert.Equal(
            [
                "record", "--pid", "auto", "--subprocesses", "--rate", "100", "--duration", "30", "--mode", "cpu",
                "--format", "flamegraph,speedscope",
                "--upload", "flamegraph=https://store.test/up/flamegraph.svg?sig=1",
                "--upload", "speedscope=https://store.test/up/speedscope.json?sig=2",
                "--result-file", "/dev/termination-log",
            ],
            args);
    }

    [Fact]
    public void Build_PidBlockingWallNoSubprocesses_PassesEach()
    {
        var spec = Request(configure: s =>
        {
            s.Target.Process = new ProcessSelector { Pid = 7 };
            s.Blocking = true;
            s.Mode = ProfileModes.Wall;
            s.Subprocesses = false;
            s.Rate = 250;
        }).Spec;

        var args = AgentArgsBuilder.Build(spec, TimeSpan.FromMinutes(5), Uploads[..1]);

        Assert.Equal(["record", "--pid", "7", "--rate", "250", "--duration", "300", "--mode", "wall", "--blocking"], args.Take(10));
        Assert.DoesNotContain("--subprocesses", args);
        Assert.DoesNotContain("--match", args);
    }

    [Fact]
    public void Build_CommandMatch_PassesAutoWithMatch()
    {
        var spec = Request(configure: s => s.Target.Process = new ProcessSelector { CommandMatch = "gunicorn: master" }).Spec;

        var args = AgentArgsBuilder.Build(spec, TimeSpan.FromSeconds(1.5), Uploads[..1]);

        Assert.Equal(["--pid", "auto", "--match", "gunicorn: master"], args.Skip(1).Take(4));
        Assert.Equal("2", args[args.IndexOf("--duration") + 1]);   // rounded up, never shorter than asked
    }

    [Fact]
    public void Build_NoUploads_Throws()
    {
        Assert.Throws<ArgumentException>(() => AgentArgsBuilder.Build(Request().Spec, TimeSpan.FromSeconds(30), []));
    }
}
