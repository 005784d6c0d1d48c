using System.Diagnostics;
using System.Globalization;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// The agent makes itself non-dumpable first thing, so a process of its own user (a target) cannot read
/// its environment, where the upload URLs are. Both the agent and the reader run as nobody here: across
/// users /proc/PID/environ is closed anyway, the flag is what closes it within one user.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NonDumpableLiveTests : IDisposable
{
    private const string Secret = "token-5b0d7e21-for-the-agent-only";
    private const int Nobody = 65534;
    private readonly string _directory = Directory.CreateTempSubdirectory("pyrometer-dumpable-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Agent_RunningAsAUser_HidesItsEnvironmentFromThatUser()
    {
        Assert.Equal(0, (await RunAsync("chmod", ["0777", _directory])).Exit);   // the agent checks it can write there
        // A launched command keeps the agent alive (waiting for an interpreter) and shows that main has run.
        using var agent = AgentProcess.Start(
            ["record", "--duration", "60", "--format", "folded", "--output-dir", _directory, "--no-progress", "--", "/bin/sleep", "30"],
            new Dictionary<string, string> { ["PYROMETER_UPLOADS"] = "folded=http://127.0.0.1:9/p?sig=" + Secret, ["HOME"] = _directory, ["DOTNET_CLI_HOME"] = _directory },
            asNobody: true);
        var child = await LaunchedChildAsync(agent.Pid);

        var agentOwner = await OwnerOfAsync($"/proc/{agent.Pid}/environ");
        var childOwner = await OwnerOfAsync($"/proc/{child}/environ");
        var (readExit, readOutput) = await ReadAsNobodyAsync($"/proc/{agent.Pid}/environ");
        var agentUid = (await File.ReadAllLinesAsync($"/proc/{agent.Pid}/status")).Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));

        Assert.StartsWith("Uid:\t65534", agentUid, StringComparison.Ordinal);
        Assert.Equal(0, agentOwner);   // non-dumpable: the kernel shows /proc/PID/* as root's
        Assert.NotEqual(0, readExit);
        Assert.DoesNotContain(Secret, readOutput, StringComparison.Ordinal);
        Assert.Equal(Nobody, childOwner);   // the launched command is dumpable again after its execve
    }

    // The agent's first child (any of its threads may have spawned it), once it exists: by then the agent's main has run.
    private static async Task<int> LaunchedChildAsync(int agentPid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var task in Directory.Exists($"/proc/{agentPid}/task") ? Directory.GetDirectories($"/proc/{agentPid}/task") : [])
            {
                var children = await ReadOrEmptyAsync(Path.Combine(task, "children"));
                if (children.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..])
                {
                    return int.Parse(first, CultureInfo.InvariantCulture);
                }
            }
            await Task.Delay(20);
        }
        throw new InvalidOperationException($"the agent (pid {agentPid}) started no command within a minute");
    }

    private static async Task<string> ReadOrEmptyAsync(string path)
    {
        try
        {
            return await File.ReadAllTextAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";   // a thread that ended meanwhile
        }
    }

    private static async Task<int> OwnerOfAsync(string path)
    {
        var (exit, output) = await RunAsync("stat", ["-c", "%u", path]);
        return exit == 0 ? int.Parse(output.Trim(), CultureInfo.InvariantCulture) : throw new InvalidOperationException($"stat {path}: {output}");
    }

    private static Task<(int Exit, string Output)> ReadAsNobodyAsync(string path) => RunAsync("setpriv", [.. AgentProcess.NobodyPrefix, "cat", path]);

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] args)
    {
        var info = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
