using System.Text.RegularExpressions;
using Pyrometer.Chart.Tests.Support;

namespace Pyrometer.Chart.Tests.Docker;

/// <summary>The Dockerfiles cannot be built here; these checks hold them to what the chart and the operator expect.</summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public void OperatorImage_FinalStage_RunsThePublishedBinaryAsTheChartsUser()
    {
        var stages = Dockerfile.Stages("Dockerfile.operator");
        var final = stages[^1];
        var chart = File.ReadAllText(Path.Combine(TestPaths.Chart, "templates", "operator-deployment.yaml"));

        Assert.True(stages.Count >= 2, "Dockerfile.operator is not multi-stage");
        Assert.Contains("aspnet:", final.From, StringComparison.Ordinal);
        Assert.Contains("chiseled", final.From, StringComparison.Ordinal);
        Assert.Equal("1654:1654", final.Single("USER"));
        Assert.Contains("runAsUser: 1654", chart, StringComparison.Ordinal);
        Assert.Contains("runAsGroup: 1654", chart, StringComparison.Ordinal);
        Assert.Equal("[\"/app/" + AssemblyName("operator/Pyrometer.Operator/Pyrometer.Operator.csproj") + "\"]", final.Single("ENTRYPOINT"));
        Assert.Equal("--from=build /out/ /app/", final.Single("COPY"));
        Assert.Contains("-o /out", stages[0].All("RUN").Last(), StringComparison.Ordinal);
    }

    [Fact]
    public void OperatorImage_Port_IsTheChartsContainerPort()
    {
        var final = Dockerfile.Stages("Dockerfile.operator")[^1];
        var chart = File.ReadAllText(Path.Combine(TestPaths.Chart, "templates", "operator-deployment.yaml"));

        Assert.Equal("8080", final.Single("EXPOSE"));
        Assert.Equal("ASPNETCORE_HTTP_PORTS=8080", final.Single("ENV"));
        Assert.Contains("containerPort: 8080", chart, StringComparison.Ordinal);
        // The chart adds the upload port (8081) for the built-in store; the read port stays the image's.
        Assert.Contains("- name: ASPNETCORE_HTTP_PORTS\n              value: {{ if include \"pyrometer.usesS3\" . }}\"8080\"{{ else }}\"8080;8081\"{{ end }}", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentImage_FinalStage_IsTheNativeBinaryAsEntrypoint()
    {
        var stages = Dockerfile.Stages("Dockerfile.agent");
        var build = stages[0];
        var final = stages[^1];
        var binary = AssemblyName("agent/Pyrometer.Agent/Pyrometer.Agent.csproj");

        Assert.Equal("pyrometer", binary);
        Assert.True(stages.Count >= 2, "Dockerfile.agent is not multi-stage");
        Assert.Contains(build.All("RUN"), r => r.Contains("clang", StringComparison.Ordinal) && r.Contains("zlib1g-dev", StringComparison.Ordinal));
        Assert.Contains(build.All("RUN"), r => r.Contains("dotnet publish agent/Pyrometer.Agent", StringComparison.Ordinal)
            && r.Contains("-r linux-x64", StringComparison.Ordinal) && r.Contains("-o /out", StringComparison.Ordinal));
        Assert.Equal($"--from=build /out/{binary} /usr/local/bin/{binary}", final.Single("COPY"));
        Assert.Equal($"[\"/usr/local/bin/{binary}\"]", final.Single("ENTRYPOINT"));
    }

    [Fact]
    public void AgentImage_User_IsRootMatchingTheChartsAgentDefault()
    {
        var final = Dockerfile.Stages("Dockerfile.agent")[^1];
        var values = File.ReadAllText(Path.Combine(TestPaths.Chart, "values.yaml"));

        Assert.Equal("0:0", final.Single("USER"));
        Assert.Matches(@"\n  runAsUser: 0\n", values);
    }

    [Theory]
    [InlineData("Dockerfile.operator")]
    [InlineData("Dockerfile.agent")]
    public void Build_RestoreLayer_ComesBeforeTheSourcesAndCopiesExistingPaths(string dockerfile)
    {
        var build = Dockerfile.Stages(dockerfile)[0];
        var restore = build.Instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var copies = build.Instructions.Select((instruction, index) => (instruction, index)).Where(x => x.instruction.Keyword == "COPY").ToList();

        Assert.True(restore > 0, "no dotnet restore step");
        // Before the restore only project and build files, never a source directory, so editing code keeps the restore cached.
        Assert.All(copies.Where(c => c.index < restore).SelectMany(c => c.instruction.Arguments.Split(' ')[..^1]),
            source => Assert.Matches(@"(\.csproj|\.props|global\.json)$", source));
        Assert.Contains(copies, c => c.index > restore);
        foreach (var (instruction, _) in copies)
        {
            var parts = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[..^1])
            {
                Assert.True(File.Exists(TestPaths.InRepository(source)) || Directory.Exists(TestPaths.InRepository(source)), $"{dockerfile}: COPY source {source} does not exist");
            }
        }
    }

    private static string AssemblyName(string project) =>
        AssemblyNamePattern().Match(File.ReadAllText(TestPaths.InRepository(project))).Groups[1].Value;

    [GeneratedRegex("<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyNamePattern();
}
