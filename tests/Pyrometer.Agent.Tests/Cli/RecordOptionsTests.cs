using Pyrometer.Agent.Cli;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Cli;

public sealed class RecordOptionsTests
{
    private static (RecordSettings? Settings, List<string> Errors) Parse(params string[] args) => ParseWithEnvironment(_ => null, args);

    private static (RecordSettings? Settings, List<string> Errors) ParseWithEnvironment(Func<string, string?> environment, params string[] args)
    {
        var options = new RecordOptions();
        var command = new System.CommandLine.Command("record");
        foreach (var symbol in options.All)
        {
            switch (symbol)
            {
                case System.CommandLine.Option o:
                    command.Options.Add(o);
                    break;
                case System.CommandLine.Argument a:
                    command.Arguments.Add(a);
                    break;
            }
        }
        var result = command.Parse(args);
        Assert.Empty(result.Errors);
        var errors = new List<string>();
        return (options.Bind(result, errors, environment), errors);
    }

    [Fact]
    public void Bind_ContractCommandLine_GivesEverySetting()
    {
        var (settings, errors) = Parse("--pid", "auto", "--subprocesses", "--rate", "250", "--duration", "30", "--mode", "wall", "--blocking",
            "--format", "flamegraph,speedscope", "--upload", "flamegraph=https://s3.example/b/k.svg?X-Amz-Signature=abc", "--result-file", "/dev/termination-log");

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.True(settings.Target.IsAuto);
        Assert.True(settings.Subprocesses);
        Assert.Equal(250, settings.Rate);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Duration);
        Assert.Equal(SamplingMode.Wall, settings.Mode);
        Assert.True(settings.Blocking);
        Assert.Equal(["flamegraph", "speedscope"], settings.Formats);
        Assert.Equal("flamegraph", Assert.Single(settings.Uploads).Format);
        Assert.Equal("/dev/termination-log", settings.ResultFile);
    }

    [Fact]
    public void Bind_ViewOptions_ReachTheRenderers()
    {
        var (settings, errors) = Parse("--pid", "42", "--icicle", "--width", "1800", "--by-line", "-t");

        Assert.Empty(errors);
        var options = settings!.View.ToRenderOptions(perThread: settings.Threads);
        Assert.Equal(Pyrometer.Rendering.FlameGraph.FlameOrientation.Icicle, options.FlameGraph.Orientation);
        Assert.Equal(1800, options.FlameGraph.Width);
        Assert.True(options.Speedscope.ByLine);
        Assert.True(options.Speedscope.PerThread);
    }

    [Fact]
    public void Bind_InvertedAlias_IsIcicleAndDefaultsAreFlameAt1200ByFunction()
    {
        var (inverted, _) = Parse("--pid", "42", "--inverted");
        var (plain, _) = Parse("--pid", "42");

        Assert.True(inverted!.View.Icicle);
        Assert.False(plain!.View.Icicle);
        Assert.Equal(1200, plain.View.Width);
        Assert.False(plain.View.ByLine);
    }

    [Theory]
    [InlineData("199")]
    [InlineData("20001")]
    public void Bind_WidthOutOfRange_SaysTheRange(string width)
    {
        var (settings, errors) = Parse("--pid", "42", "--width", width);

        Assert.Null(settings);
        Assert.Equal($"--width must be between 200 and 20000 pixels, got {width}", Assert.Single(errors));
    }

    [Fact]
    public void Bind_Defaults_AreCpuModeAt100HzUntilStopped()
    {
        var (settings, _) = Parse("--pid", "42");

        Assert.Equal(42, settings!.Target.Pid);
        Assert.Equal(100, settings.Rate);
        Assert.Null(settings.Duration);
        Assert.Equal(SamplingMode.Cpu, settings.Mode);
        Assert.Equal(["flamegraph"], settings.Formats);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.BlockedThreshold);
    }

    [Fact]
    public void Bind_BlockedThreshold_IsMillisecondsAndZeroTurnsItOff()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), Parse("--pid", "42", "--blocked-threshold", "250").Settings!.BlockedThreshold);
        Assert.Null(Parse("--pid", "42", "--blocked-threshold", "0").Settings!.BlockedThreshold);
    }

    [Theory]
    [InlineData("--async")]
    [InlineData("--mode async")]
    [InlineData("--mode async --async")]
    public void Bind_Async_EitherSpellingGivesAsyncMode(string extra)
    {
        var (settings, _) = Parse(["--pid", "42", .. extra.Split(' ')]);

        Assert.Equal(SamplingMode.Async, settings!.Mode);
    }

    [Fact]
    public void Bind_CommandAfterDoubleDash_LaunchesIt()
    {
        var (settings, _) = Parse("--duration", "2", "--", "python3", "app.py", "--port", "80");

        Assert.Equal(["python3", "app.py", "--port", "80"], settings!.Target.Command);
    }

    [Theory]
    [InlineData("--rate 0", "--rate must be between 1 and")]
    [InlineData("--rate 20000", "--rate must be between 1 and")]
    [InlineData("--duration -1", "--duration must be a positive")]
    [InlineData("--mode fast", "--mode must be cpu, wall, gil or async")]
    [InlineData("--mode wall --async", "--async conflicts with --mode wall")]
    [InlineData("--blocked-threshold -5", "--blocked-threshold must be between 0 (off) and")]
    [InlineData("--format svg", "unknown format 'svg'")]
    [InlineData("--format flamegraph,speedscope -o out.svg", "-o/--output names one file")]
    [InlineData("--upload speedscope=https://x/y", "that format is not in --format")]
    [InlineData("--upload flamegraph=ftp://x/y", "must be an absolute http or https URL")]
    [InlineData("--upload nourl", "--upload expects FORMAT=URL")]
    public void Bind_BadOption_SaysWhatIsWrong(string extra, string message)
    {
        var (settings, errors) = Parse(["--pid", "7", .. extra.Split(' ')]);

        Assert.Null(settings);
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new string[0], "name a target")]
    [InlineData(new[] { "--pid", "abc" }, "--pid must be a positive process id or 'auto'")]
    [InlineData(new[] { "--pid", "-3" }, "--pid must be a positive process id")]
    [InlineData(new[] { "--match", "([" }, "--match is not a valid regular expression")]
    [InlineData(new[] { "--pid", "7", "--", "python" }, "either --pid or a command")]
    public void Bind_BadTarget_SaysHowToNameOne(string[] args, string message)
    {
        var (settings, errors) = Parse(args);

        Assert.Null(settings);
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_UploadError_NeverEchoesTheSignature()
    {
        var (_, errors) = Parse("--pid", "7", "--upload", "https://bucket/key?X-Amz-Signature=secret");

        Assert.DoesNotContain(errors, e => e.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_UploadEnv_ReadsTheTargetsFromThatVariable()
    {
        var (settings, errors) = ParseWithEnvironment(
            name => name == "PYROMETER_UPLOADS" ? "flamegraph=https://store/a.svg?sig=1\nfolded=https://store/a.folded?sig=2" : null,
            "--pid=7", "--format=flamegraph,folded", "--upload-env=PYROMETER_UPLOADS");

        Assert.Empty(errors);
        Assert.Equal(["flamegraph", "folded"], settings!.Uploads.Select(u => u.Format));
    }

    [Theory]
    [InlineData("speedscope=https://store/a?sig=secret", "speedscope is not in --format")]
    [InlineData("flamegraph=https://store/b?sig=secret", "flamegraph also has an --upload")]
    public void Bind_UploadEnvConflicts_RefusesWithoutTheSignature(string value, string expected)
    {
        var (settings, errors) = ParseWithEnvironment(_ => value,
            "--pid=7", "--format=flamegraph", "--upload", "flamegraph=https://store/a?sig=1", "--upload-env=PYROMETER_UPLOADS");

        Assert.Null(settings);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("secret", StringComparison.Ordinal));
    }
}
