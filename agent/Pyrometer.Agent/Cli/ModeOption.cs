using System.CommandLine;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Cli;

/// <summary><c>--mode cpu|wall|gil</c>, shared by <c>record</c> and <c>top</c>.</summary>
internal static class ModeOption
{
    public static Option<string> Create() => new("--mode")
    {
        Description = "cpu: running threads only | wall: idle threads too | gil: the GIL holder only",
        DefaultValueFactory = _ => "cpu",
        HelpName = "cpu|wall|gil",
    };

    public static SamplingMode Parse(string? text, List<string> errors)
    {
        switch (text ?? "cpu")
        {
            case "cpu":
                return SamplingMode.Cpu;
            case "wall":
                return SamplingMode.Wall;
            case "gil":
                return SamplingMode.Gil;
            default:
                errors.Add($"--mode must be cpu, wall or gil, got '{text}'");
                return SamplingMode.Cpu;
        }
    }
}
