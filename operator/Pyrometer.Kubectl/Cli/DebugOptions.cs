using System.CommandLine;

namespace Pyrometer.Kubectl.Cli;

/// <summary>The arguments <c>dump</c> and <c>top</c> share, validated into <see cref="DebugSettings"/>.</summary>
internal sealed class DebugOptions(string command)
{
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];

    public Argument<string?> Target { get; } = new("pod") { Description = "pod/NAME (or NAME)", Arity = ArgumentArity.ZeroOrOne };

    public Option<string?> Container { get; } = new("--container", "-c") { Description = "The container whose processes to read (default: the pod's first)" };

    public Option<string?> Image { get; } = new("--image") { Description = "The agent image (default: the one the installed operator uses)" };

    public Option<string?> PullPolicy { get; } = new("--image-pull-policy") { Description = "Always, IfNotPresent or Never (default: the operator's, else the cluster's)" };

    public Option<bool> Async { get; } = new("--async") { Description = "Also show asyncio tasks (dump) / sample per task (top)" };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of text (dump)" };

    public Option<bool> Subprocesses { get; } = new("--subprocesses", "-s") { Description = "Also the chosen process's descendants (gunicorn/uvicorn workers)" };

    public Option<int?> Iterations { get; } = new("--iterations") { Description = "Stop after this many refreshes (top; default: until q)" };

    public IEnumerable<Symbol> All => command == "dump"
        ? [Target, Container, Image, PullPolicy, Async, Json, Subprocesses]
        : [Target, Container, Image, PullPolicy, Async, Subprocesses, Iterations];

    public DebugSettings? Bind(ParseResult result, List<string> errors) => Bind(
        command, result.GetValue(Target), result.GetValue(Container), result.GetValue(Image), result.GetValue(PullPolicy),
        result.GetValue(Async), command == "dump" && result.GetValue(Json), result.GetValue(Subprocesses), errors,
        command == "top" ? result.GetValue(Iterations) : null);

    internal static DebugSettings? Bind(
        string command, string? target, string? container, string? image, string? pullPolicy, bool async, bool json, bool subprocesses, List<string> errors, int? iterations = null)
    {
        var pod = TargetParser.Parse(target, null, allowDeployment: false, out var error);
        if (pod is null)
        {
            errors.Add(error);
        }
        if (container is not null && !KubeNames.IsLabel(container))
        {
            errors.Add($"--container '{TargetParser.Printable(container)}' is not a valid container name");
        }
        if (image is not null && (image.Length is 0 or > 512 || image.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || image.StartsWith('-')))
        {
            errors.Add($"--image '{TargetParser.Printable(image)}' is not an image reference");
        }
        if (pullPolicy is not null && !PullPolicies.Contains(pullPolicy))
        {
            errors.Add("--image-pull-policy must be Always, IfNotPresent or Never");
        }
        if (iterations is < 1 or > 1_000_000)
        {
            errors.Add("--iterations must be between 1 and 1000000");
        }
        return errors.Count > 0 ? null : new DebugSettings(command, pod!.Name!, container, image, pullPolicy, async, json, subprocesses, iterations);
    }
}
