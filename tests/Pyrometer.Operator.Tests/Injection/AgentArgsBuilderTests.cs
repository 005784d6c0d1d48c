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
        var launch = AgentArgsBuilder.Build(Request().Spec, TimeSpan.FromSeconds(30), Uploads);

        Assert.Equal(
            [
                "record", "--pid=auto", "--subprocesses", "--rate=100", "--duration=30", "--mode=cpu",
                "--format=flamegraph,speedscope", "--upload-env=PYROMETER_UPLOADS", "--result-file=/dev/termination-log",
            ],
            launch.Args);
        Assert.Equal("flamegraph=https://store.test/up/flamegraph.svg?sig=1\nspeedscope=https://store.test/up/speedscope.json?sig=2", launch.Uploads);
    }

    [Fact]
    public void Build_Uploads_NeverInTheArguments()
    {
        var launch = AgentArgsBuilder.Build(Request().Spec, TimeSpan.FromSeconds(30), Uploads);

        Assert.DoesNotContain(launch.Args, a => a.Contains("store.test", StringComparison.Ordinal) || a.Contains("sig=", StringComparison.Ordinal));
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

        var args = AgentArgsBuilder.Build(spec, TimeSpan.FromMinutes(5), Uploads[..1]).Args;

        Assert.Equal(["record", "--pid=7", "--rate=250", "--duration=300", "--mode=wall", "--blocking"], args.Take(6));
        Assert.DoesNotContain("--subprocesses", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--match", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_CommandMatch_PassesAutoWithMatchAsOneToken()
    {
        var spec = Request(configure: s => s.Target.Process = new ProcessSelector { CommandMatch = "gunicorn: master" }).Spec;

        var args = AgentArgsBuilder.Build(spec, TimeSpan.FromSeconds(1.5), Uploads[..1]).Args;

        Assert.Equal(["--pid=auto", "--match=gunicorn: master"], args.Skip(1).Take(2));
        Assert.Contains("--duration=2", args);   // rounded up, never shorter than asked
    }

    [Fact]
    public void Build_NoUploads_Throws()
    {
        Assert.Throws<ArgumentException>(() => AgentArgsBuilder.Build(Request().Spec, TimeSpan.FromSeconds(30), []));
    }
}
