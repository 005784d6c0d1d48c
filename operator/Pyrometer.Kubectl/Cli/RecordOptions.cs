using System.CommandLine;

namespace Pyrometer.Kubectl.Cli;

/// <summary>The <c>record</c> command's arguments, and their validation into <see cref="RecordSettings"/>.</summary>
internal sealed class RecordOptions
{
    public static readonly string[] Modes = ["cpu", "wall", "gil", "async"];
    public static readonly string[] KnownFormats = ["flamegraph", "speedscope", "folded", "pprof"];

    public Argument<string?> Target { get; } = new("target")
    {
        Description = "deploy/NAME, pod/NAME (or NAME); omit it with -l",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> Selector { get; } = new("--selector", "-l") { Description = "Profile the pods matching this label selector" };

    public Option<string> Duration { get; } = new("--duration", "-d") { Description = "How long to sample: 30s, 2m, 1m30s (1s to 1h)", DefaultValueFactory = _ => "30s" };

    public Option<string> Mode { get; } = new("--mode") { Description = "cpu, wall, gil or async", DefaultValueFactory = _ => "cpu" };

    public Option<int?> Rate { get; } = new("--rate") { Description = "Samples per second (1 to 1000; default: the operator's, 100)" };

    public Option<string[]> Format { get; } = new("--format", "-f")
    {
        Description = "Artifacts to produce, comma-separated: flamegraph, speedscope, folded, pprof (default flamegraph)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Baseline { get; } = new("--baseline") { Description = "Compare with an earlier request: its name, or 'latest' (the last Succeeded one for the same target)" };

    public Option<double?> Threshold { get; } = new("--threshold") { Description = "With --baseline: how many percentage points a function may grow before the profile counts as regressed (default 5)" };

    public Option<string?> Name { get; } = new("--name") { Description = "The ProfileRequest's name (default: the target's name and a random suffix)" };

    public Option<string?> Container { get; } = new("--container", "-c") { Description = "The container to profile (default: the pod's first)" };

    public Option<int?> MaxPods { get; } = new("--max-pods") { Description = "With deploy/NAME or -l: how many Running pods to profile (1 to 20; default 1)" };

    public Option<string?> Output { get; } = new("--output-dir", "-o") { Description = "Where to download the artifacts (default ./pyrometer-NAME/)" };

    public Option<bool> Open { get; } = new("--open") { Description = "Open the flamegraph with xdg-open when it is downloaded" };

    public Option<bool> NoDownload { get; } = new("--no-download") { Description = "Print the artifacts' links instead of downloading them" };

    public IEnumerable<Symbol> All => [Target, Selector, Duration, Mode, Rate, Format, Baseline, Threshold, Name, Container, MaxPods, Output, Open, NoDownload];

    public RecordSettings? Bind(ParseResult result, List<string> errors) => Bind(
        result.GetValue(Target), result.GetValue(Selector), result.GetValue(Duration), result.GetValue(Mode), result.GetValue(Rate),
        result.GetValue(Format), result.GetValue(Baseline), result.GetValue(Threshold), result.GetValue(Name), result.GetValue(Container),
        result.GetValue(MaxPods), result.GetValue(Output), result.GetValue(Open), !result.GetValue(NoDownload), errors);

    internal static RecordSettings? Bind(
        string? target, string? selector, string? duration, string? mode, int? rate, string[]? formats, string? baseline, double? threshold,
        string? name, string? container, int? maxPods, string? output, bool open, bool download, List<string> errors)
    {
        var parsedTarget = TargetParser.Parse(target, selector, allowDeployment: true, out var targetError);
        if (parsedTarget is null)
        {
            errors.Add(targetError);
        }
        if (!GoDuration.TryParse(duration, out var span, out var durationText, out var durationError))
        {
            errors.Add(durationError);
        }
        mode ??= "cpu";
        if (!Modes.Contains(mode))
        {
            errors.Add($"unknown mode '{TargetParser.Printable(mode)}': cpu, wall, gil or async");
        }
        if (rate is < 1 or > 1000)
        {
            errors.Add("--rate must be between 1 and 1000");
        }
        var formatList = (formats ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        if (formatList.FirstOrDefault(f => !KnownFormats.Contains(f)) is { } unknown)
        {
            errors.Add($"unknown format '{TargetParser.Printable(unknown)}': flamegraph, speedscope, folded or pprof");
        }
        if (formatList.Count == 0)
        {
            formatList.Add("flamegraph");
        }
        if (open && !formatList.Contains("flamegraph"))
        {
            errors.Add("--open opens the flamegraph: add flamegraph to --format");
        }
        if (baseline is not null && baseline != "latest" && !KubeNames.IsObjectName(baseline))
        {
            errors.Add($"--baseline '{TargetParser.Printable(baseline)}' is neither 'latest' nor a ProfileRequest name");
        }
        if (threshold is not null && (baseline is null || threshold is not (> 0 and <= 100) || double.IsNaN(threshold.Value)))
        {
            errors.Add(baseline is null ? "--threshold needs --baseline" : "--threshold must be above 0 and at most 100 (percentage points)");
        }
        if (name is not null && !KubeNames.IsObjectName(name))
        {
            errors.Add($"--name '{TargetParser.Printable(name)}' is not a valid name (lowercase letters, digits, '-' and '.', at most 253)");
        }
        if (container is not null && !KubeNames.IsLabel(container))
        {
            errors.Add($"--container '{TargetParser.Printable(container)}' is not a valid container name");
        }
        if (maxPods is not null && (maxPods is < 1 or > 20 || parsedTarget?.Kind == TargetKind.Pod))
        {
            errors.Add(parsedTarget?.Kind == TargetKind.Pod ? "--max-pods needs deploy/NAME or -l" : "--max-pods must be between 1 and 20");
        }
        if (output is { Length: 0 })
        {
            errors.Add("--output-dir is empty");
        }
        if (open && !download)
        {
            errors.Add("--open needs the download: drop --no-download");
        }
        return errors.Count > 0 ? null : new RecordSettings(
            parsedTarget!, span, durationText, mode, rate, formatList, baseline, threshold, name, container, maxPods, output, open, download);
    }
}
