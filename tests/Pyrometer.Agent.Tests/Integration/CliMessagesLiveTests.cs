using System.Globalization;
using System.Text.RegularExpressions;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// What the published binary says when a command cannot do its job: our own sentence naming the file or the
/// process and the cause, never a .NET resource key (UseSystemResourceKeys) or type name; and one message with
/// one exit code for a PID that names no process, whichever command was given it.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class CliMessagesLiveTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pyrometer-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [NativeAgentTheory]
    [InlineData("missing input", "convert {missing} -f flamegraph -o {dir}/out.svg", "{missing}: no such file or directory")]
    [InlineData("input through a non-directory", "convert {good}/x -f flamegraph -o {dir}/out.svg", "{good}/x: not a directory")]
    [InlineData("a directory as input", "convert {dir} -f flamegraph -o {dir}/out.svg", "{dir}: it is a directory")]
    [InlineData("unreadable input (even for root)", "convert /proc/1/mem -f flamegraph -o {dir}/out.svg", "/proc/1/mem")]
    [InlineData("output in a missing directory", "convert {good} -f flamegraph -o {dir}/no/such/dir/out.svg", "{dir}/no/such/dir/out.svg: no such file or directory")]
    [InlineData("malformed folded input", "convert {bad} -f flamegraph -o {dir}/out.svg", "{bad}: Folded line 1")]
    [InlineData("damaged gzip input", "convert {badgz} -f flamegraph -o {dir}/out.svg", "{badgz}: pprof: the gzip stream is damaged\n")]
    [InlineData("diff with a missing input", "diff {good} {missing} -o {dir}/diff.svg", "{missing}: no such file or directory")]
    [InlineData("a number that is not one", "record --pid 1 --rate abc", "--rate needs a whole number, got 'abc'")]
    [InlineData("a bad regular expression", "record --match (", "--match is not a valid regular expression: insufficient closing parentheses")]
    public async Task Failure_IsWordedForPeople_NamingTheCause(string what, string command, string expected)
    {
        var args = command.Split(' ').Select(Expand).ToArray();
        await File.WriteAllTextAsync(Path.Combine(_directory, "good.folded"), "main;work 3\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "bad.folded"), "main;work lots\n");
        await File.WriteAllBytesAsync(Path.Combine(_directory, "bad.pb.gz"), [0x1f, 0x8b, 0x42, 0x42, 0x42, 0x42]);

        var (exit, _, error) = await NativeAgent.RunAsync(args);

        Assert.True(exit != 0, $"{what}: exit 0");
        Assert.Contains(Expand(expected), error, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResourceKey(), error);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    [NativeAgentTheory]
    [InlineData("record", "--duration", "1")]
    [InlineData("top", "-n", "1")]
    [InlineData("dump", "--json", "")]
    public async Task MissingPid_OneMessageAndExitCode_InEveryCommand(string command, string option, string value)
    {
        var pid = UnusedPid();
        string[] args = [command, "--pid", pid.ToString(CultureInfo.InvariantCulture), option, .. value.Length > 0 ? [value] : Array.Empty<string>()];

        var (exit, _, error) = await NativeAgent.RunAsync(args);

        Assert.Equal(3, exit);
        Assert.Equal($"pyrometer: no process with PID {pid} in this PID namespace", error.Trim());
    }

    [NativeAgentFact]
    public async Task RecordHelp_ShowsTheDoubleDashForm_Examples_AndWhatItNeeds()
    {
        var (exit, help, _) = await NativeAgent.RunAsync("record", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("pyrometer record [options] -- COMMAND [ARG...]", help, StringComparison.Ordinal);
        Assert.Contains("pyrometer record -d 30 -- python app.py", help, StringComparison.Ordinal);
        Assert.Contains("-s --match", help, StringComparison.Ordinal);
        Assert.Contains("-f speedscope,pprof", help, StringComparison.Ordinal);
        Assert.Contains("root or CAP_SYS_PTRACE", help, StringComparison.Ordinal);
        Assert.Contains("ptrace_scope", help, StringComparison.Ordinal);
    }

    [NativeAgentTheory]
    [InlineData("top", "pyrometer top --pid 1234")]
    [InlineData("dump", "pyrometer dump --pid 1234")]
    public async Task Help_OfTopAndDump_HasExamples(string command, string example)
    {
        var (exit, help, _) = await NativeAgent.RunAsync(command, "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Examples:", help, StringComparison.Ordinal);
        Assert.Contains(example, help, StringComparison.Ordinal);
        Assert.Contains("--match REGEX", help, StringComparison.Ordinal);
    }

    private string Expand(string text) => text
        .Replace("{missing}", Path.Combine(_directory, "missing.folded"), StringComparison.Ordinal)
        .Replace("{good}", Path.Combine(_directory, "good.folded"), StringComparison.Ordinal)
        .Replace("{badgz}", Path.Combine(_directory, "bad.pb.gz"), StringComparison.Ordinal)
        .Replace("{bad}", Path.Combine(_directory, "bad.folded"), StringComparison.Ordinal)
        .Replace("{dir}", _directory, StringComparison.Ordinal);

    // Far above the PIDs in use, below pid_max: nothing has it (checked).
    private static int UnusedPid()
    {
        var max = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture);
        return Enumerable.Range(0, 1000).Select(i => max - 1 - i).First(pid => !Directory.Exists($"/proc/{pid}"));
    }

    // A runtime resource key such as IO_FileNotFound_FileName.
    [GeneratedRegex(@"\b[A-Z][A-Za-z]+_[A-Za-z_]+\b")]
    private static partial Regex ResourceKey();
}
