using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>Runs the agent's command line in-process and reads back its result file.</summary>
internal sealed class AgentRun : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pyrometer-test-").FullName;

    public string ResultPath => Path.Combine(Directory, "result.json");

    /// <summary>Runs <c>record</c> with <paramref name="args"/>; its own options go before a <c>-- command</c>.</summary>
    public async Task<int> RecordAsync(params string[] args)
    {
        var split = Array.IndexOf(args, "--");
        var options = split < 0 ? args : args[..split];
        var command = split < 0 ? [] : args[split..];
        return await PyrometerCommandLine.RunAsync(["record", .. options, "--output-dir", Directory, "--result-file", ResultPath, "--no-progress", .. command]);
    }

    public AgentResult Result() =>
        AgentResultWriter.Parse(File.ReadAllBytes(ResultPath)) ?? throw new InvalidOperationException("the result file is not a v1 result");

    public string Artifact(string extension) =>
        System.IO.Directory.GetFiles(Directory, "*" + extension).Single();

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
