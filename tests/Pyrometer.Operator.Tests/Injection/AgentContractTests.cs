using Pyrometer.Agent.Cli;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Injection;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Injection;

/// <summary>
/// The operator's agent arguments, built for hostile specs, parsed by the agent's real parser: every value must come
/// back exactly as the user wrote it, never as an option, a response file or anything read from disk (issue #12).
/// The specs bypass <see cref="Controllers.SpecValidator"/> on purpose: the command line must hold on its own.
/// </summary>
public sealed class AgentContractTests : IDisposable
{
    private const string Secret = "not-for-the-profile-7c1e";
    private static readonly KeyValuePair<string, Uri>[] Uploads = [new(ProfileFormats.FlameGraph, new Uri("https://store.test/up/a.svg?sig=1"))];
    private readonly string _secretFile = Path.GetTempFileName();

    public AgentContractTests() => File.WriteAllText(_secretFile, "--match\n" + Secret + "\n");

    public void Dispose() => File.Delete(_secretFile);

    public static TheoryData<string> HostileMatches =>
    [
        "@/proc/1/root/var/run/secrets/kubernetes.io/serviceaccount/token",
        "@",
        "--help",
        "-h",
        "-o/tmp/x",
        "--output=/tmp/x",
        "--",
        "-",
        "a=b=c",
        "--match=x",
        "gunicorn: master --workers 4",
        " leading and trailing space ",
        "line one\nline two\r\n",
        "tab\there",
        "ünïcødé 🔥 \u200b名前",
        "\"quoted\" 'single' `back` $HOME ;|&",
        "[diagram]",
    ];

    [Theory]
    [MemberData(nameof(HostileMatches))]
    public void Parse_HostileCommandMatch_ComesBackVerbatim(string match)
    {
        var spec = Request(configure: s => s.Target.Process = new ProcessSelector { CommandMatch = match }).Spec;

        var args = AgentArgsBuilder.Build(spec, TimeSpan.FromSeconds(30), Uploads).Args;
        var result = PyrometerCommandLine.Parse(args);

        Assert.Empty(result.Errors);
        Assert.Equal("record", result.CommandResult.Command.Name);
        Assert.Equal(match, result.GetValue<string>("--match"));
        Assert.Equal("auto", result.GetValue<string>("--pid"));
        Assert.Null(result.GetValue<string>("--output"));
        Assert.Empty(result.GetValue<string[]>("command") ?? []);
        Assert.Equal("/dev/termination-log", result.GetValue<string>("--result-file"));
    }

    [Fact]
    public void Parse_CommandMatchNamingAFile_NeverReadsIt()
    {
        var spec = Request(configure: s => s.Target.Process = new ProcessSelector { CommandMatch = "@" + _secretFile }).Spec;

        var args = AgentArgsBuilder.Build(spec, TimeSpan.FromSeconds(30), Uploads).Args;
        var result = PyrometerCommandLine.Parse(args);

        Assert.Empty(result.Errors);
        Assert.Equal("@" + _secretFile, result.GetValue<string>("--match"));
        Assert.DoesNotContain(result.Tokens, t => t.Value.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_EverySpecField_ReachesTheAgentUnchanged()
    {
        var spec = Request(configure: s =>
        {
            s.Target.Process = new ProcessSelector { Pid = 42 };
            s.Rate = 997;
            s.Mode = ProfileModes.Gil;
            s.Blocking = true;
            s.Subprocesses = true;
        }).Spec;
        KeyValuePair<string, Uri>[] uploads =
        [
            new(ProfileFormats.Pprof, new Uri("https://store.test/a.pb.gz?X-Amz-Signature=s")),
            new(ProfileFormats.Folded, new Uri("http://store.test/b?c=d")),
        ];

        var result = PyrometerCommandLine.Parse(AgentArgsBuilder.Build(spec, TimeSpan.FromSeconds(61), uploads).Args);

        Assert.Empty(result.Errors);
        Assert.Equal(("42", 997, 61.0, "gil", true, true, "pprof,folded", "PYROMETER_UPLOADS"),
            (result.GetValue<string>("--pid"), result.GetValue<int>("--rate"), result.GetValue<double?>("--duration"), result.GetValue<string>("--mode"),
             result.GetValue<bool>("--blocking"), result.GetValue<bool>("--subprocesses"), result.GetValue<string>("--format"), result.GetValue<string>("--upload-env")));
        Assert.Empty(result.GetValue<string[]>("--upload") ?? []);
    }

    /// <summary>Every value spec.mode accepts is a mode the agent binds (async was added to both at once).</summary>
    [Theory]
    [InlineData(ProfileModes.Cpu, "Cpu")]
    [InlineData(ProfileModes.Wall, "Wall")]
    [InlineData(ProfileModes.Gil, "Gil")]
    [InlineData(ProfileModes.Async, "Async")]
    public void Bind_EverySpecMode_IsAnAgentMode(string mode, string agentMode)
    {
        Assert.Equal(4, ProfileModes.All.Count);   // a new mode needs a row here
        var spec = Request(configure: s =>
        {
            s.Target.Process = new ProcessSelector { Pid = 42 };
            s.Mode = mode;
        }).Spec;
        var launch = AgentArgsBuilder.Build(spec, TimeSpan.FromSeconds(30), [new(ProfileFormats.FlameGraph, new Uri("https://store.test/a.svg?X-Amz-Signature=s"))]);
        var args = launch.Args.SkipWhile(a => a == "record").ToArray();

        var options = new RecordOptions();
        var command = new System.CommandLine.Command("record");
        foreach (var symbol in options.All)
        {
            if (symbol is System.CommandLine.Option option)
            {
                command.Options.Add(option);
            }
            else if (symbol is System.CommandLine.Argument argument)
            {
                command.Arguments.Add(argument);
            }
        }
        var errors = new List<string>();
        var settings = options.Bind(command.Parse(args), errors, name => name == AgentArgsBuilder.UploadsVariable ? launch.Uploads : null);

        Assert.Empty(errors);
        Assert.Equal(agentMode, settings!.Mode.ToString());
    }
}
