using System.CommandLine;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Cli;

/// <summary><c>--mode cpu|wall|gil|async</c> and its shorthand <c>--async</c>, shared by <c>record</c> and <c>top</c>.</summary>
internal static class ModeOption
{
    public static Option<string> Create() => new("--mode")
    {
        Description = "cpu: running threads only | wall: idle threads too | gil: the GIL holder only | async: wall, plus one stack per asyncio task (CPython 3.8+)",
        DefaultValueFactory = _ => "cpu",
        HelpName = "cpu|wall|gil|async",
    };

    public static Option<bool> CreateAsync() => new("--async")
    {
        Description = "Same as --mode async: each asyncio task's await stack, under the tasks awaiting it",
    };

    /// <summary>The mode from <c>--mode</c> and <c>--async</c> together (which must agree).</summary>
    public static SamplingMode Parse(string? text, bool asyncFlag, bool modeGiven, List<string> errors)
    {
        var mode = Parse(text, errors);
        if (!asyncFlag)
        {
            return mode;
        }
        if (modeGiven && mode != SamplingMode.Async)
        {
            errors.Add($"--async conflicts with --mode {text}");
        }
        return SamplingMode.Async;
    }

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
            case "async":
                return SamplingMode.Async;
            default:
                errors.Add($"--mode must be cpu, wall, gil or async, got '{text}'");
                return SamplingMode.Cpu;
        }
    }
}
