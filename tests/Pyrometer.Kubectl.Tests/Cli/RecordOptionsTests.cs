using System.CommandLine;
using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Tests.Cli;

public sealed class RecordOptionsTests
{
    [Fact]
    public void Bind_FullCommandLine_GivesEverySetting()
    {
        var (settings, errors) = Bind(
            "deploy/shop", "-d", "1m30s", "--mode", "wall", "--rate", "250", "-f", "flamegraph,folded", "-f", "pprof",
            "--baseline", "latest", "--threshold", "2.5", "--name", "shop-after", "-c", "app", "--max-pods", "3", "-o", "out", "--open");

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal(new TargetSpec(TargetKind.Deployment, "shop", null), settings.Target);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.Duration);
        Assert.Equal("1m30s", settings.DurationText);
        Assert.Equal("wall", settings.Mode);
        Assert.Equal(250, settings.Rate);
        Assert.Equal(["flamegraph", "folded", "pprof"], settings.Formats);
        Assert.Equal("latest", settings.Baseline);
        Assert.Equal(2.5, settings.Threshold);
        Assert.Equal("shop-after", settings.Name);
        Assert.Equal("app", settings.Container);
        Assert.Equal(3, settings.MaxPods);
        Assert.Equal("out", settings.OutputDirectory);
        Assert.True(settings.Open);
        Assert.True(settings.Download);
    }

    [Fact]
    public void Bind_Defaults_AreThirtySecondsOfCpuAndAFlamegraph()
    {
        var (settings, errors) = Bind("-l", "app=shop");

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(30), settings!.Duration);
        Assert.Equal("cpu", settings.Mode);
        Assert.Equal(["flamegraph"], settings.Formats);
        Assert.Null(settings.Rate);
        Assert.Null(settings.Baseline);
    }

    [Theory]
    [InlineData("unknown mode 'fast'", "pod/a", "--mode", "fast")]
    [InlineData("--rate must be between 1 and 1000", "pod/a", "--rate", "0")]
    [InlineData("unknown format 'png'", "pod/a", "-f", "png")]
    [InlineData("neither 'latest' nor a ProfileRequest name", "pod/a", "--baseline", "Last_Week")]
    [InlineData("--threshold needs --baseline", "pod/a", "--threshold", "3")]
    [InlineData("--threshold must be above 0 and at most 100", "pod/a", "--baseline", "latest", "--threshold", "0")]
    [InlineData("--threshold must be above 0 and at most 100", "pod/a", "--baseline", "latest", "--threshold", "101")]
    [InlineData("--name 'A' is not a valid name", "pod/a", "--name", "A")]
    [InlineData("--max-pods needs deploy/NAME or -l", "pod/a", "--max-pods", "2")]
    [InlineData("--open opens the flamegraph", "pod/a", "-f", "folded", "--open")]
    [InlineData("bad duration '30 seconds'", "pod/a", "-d", "30 seconds")]
    [InlineData("--container 'App' is not a valid container name", "pod/a", "-c", "App")]
    public void Bind_BadValues_AreRefusedBeforeAnythingIsSent(string message, params string[] args)
    {
        var (settings, errors) = Bind(args);

        Assert.Null(settings);
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ConnectionFlags_AreTakenAnywhere()
    {
        var parsed = KubectlCommandLine.Parse(["record", "pod/a", "-n", "shop", "--context", "staging", "--kubeconfig", "/tmp/kc"]);
        var connection = new ConnectionOptions();
        var root = KubectlCommandLine.Build();

        Assert.Empty(parsed.Errors);
        Assert.Equal("shop", parsed.GetValue<string>("--namespace"));
        Assert.Equal("staging", parsed.GetValue<string>("--context"));
        Assert.Equal("/tmp/kc", parsed.GetValue<string>("--kubeconfig"));
        Assert.NotNull(root);
        Assert.Equal(3, connection.All.Count());
    }

    [Fact]
    public void Parse_BadNamespace_IsRefused()
    {
        var connection = new ConnectionOptions();
        var command = new RootCommand();
        foreach (var option in connection.All)
        {
            command.Options.Add(option);
        }
        var errors = new List<string>();

        Assert.Null(connection.Bind(command.Parse(["-n", "Not_A/Namespace"]), errors));
        Assert.Contains("not a valid namespace name", errors.Single(), StringComparison.Ordinal);
    }

    private static (RecordSettings? Settings, List<string> Errors) Bind(params string[] args)
    {
        var options = new RecordOptions();
        var command = new Command("record");
        foreach (var symbol in options.All)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
            }
        }
        var parsed = command.Parse(args, KubectlCommandLine.Configuration);
        Assert.Empty(parsed.Errors);
        var errors = new List<string>();
        return (options.Bind(parsed, errors), errors);
    }
}
