using System.Diagnostics;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Pyrometer.Chart.Tests.Support;

/// <summary>Builds hack/chart-render once per test run and renders the chart with it.</summary>
internal static class ChartRenderer
{
    private static readonly Lazy<string> Binary = new(Build);

    public static string? FindGo() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "go"))
            .FirstOrDefault(File.Exists);

    /// <summary>Renders the manifests; throws with the renderer's message when it fails.</summary>
    public static List<YamlMappingNode> Render(string release = "pyrometer", string ns = "pyrometer", params string[] valueFiles)
    {
        var result = Run(Arguments(release, ns, valueFiles));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("chart-render failed: " + result.Stderr);
        }
        var stream = new YamlStream();
        stream.Load(new StringReader(result.Stdout));
        return stream.Documents.Select(d => d.RootNode).Cast<YamlMappingNode>().ToList();
    }

    /// <summary>Runs the renderer with the given values files and returns its exit code, stdout and stderr.</summary>
    public static RenderResult Try(params string[] valueFiles) => Run(Arguments("pyrometer", "pyrometer", valueFiles));

    public static string Notes(params string[] valueFiles)
    {
        var result = Run(["--notes", .. Arguments("pyrometer", "pyrometer", valueFiles)]);
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException("chart-render failed: " + result.Stderr);
    }

    /// <summary>The merged values as the templates see them (JSON, numbers as Helm has them).</summary>
    public static JsonElement Values(params string[] valueFiles)
    {
        var result = Run(["--dump-values", .. Arguments("pyrometer", "pyrometer", valueFiles)]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("chart-render failed: " + result.Stderr);
        }
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    private static List<string> Arguments(string release, string ns, string[] valueFiles)
    {
        var arguments = new List<string> { "--release", release, "--namespace", ns };
        foreach (var file in valueFiles)
        {
            arguments.Add("-f");
            arguments.Add(file);
        }
        arguments.Add(TestPaths.Chart);
        return arguments;
    }

    private static RenderResult Run(IEnumerable<string> arguments) => Exec(Binary.Value, arguments, TestPaths.RepositoryRoot);

    private static string Build()
    {
        _ = FindGo() ?? throw new InvalidOperationException("go is not installed");
        var output = Path.Combine(Path.GetTempPath(), "pyrometer-chart-render-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // build.sh builds from Debian's packaged sprig and yaml sources (GOPATH mode, no downloads).
        var result = Exec("/bin/bash", [TestPaths.InRepository(Path.Combine("hack", "chart-render", "build.sh")), output], TestPaths.RepositoryRoot);
        return result.ExitCode == 0 ? output : throw new InvalidOperationException("build of hack/chart-render failed: " + result.Stderr);
    }

    private static RenderResult Exec(string file, IEnumerable<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No module downloads: the renderer uses the standard library only. A build cache must be writable.
        start.Environment["GOFLAGS"] = "-mod=mod";
        start.Environment["GOPROXY"] = "off";
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GOCACHE")))
        {
            start.Environment["GOCACHE"] = Path.Combine(Path.GetTempPath(), "pyrometer-chart-tests-gocache");
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new RenderResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
