using Pyrometer.Chart.Tests.Support;

namespace Pyrometer.Chart.Tests.Docker;

/// <summary>
/// Where no registry is reachable, hack/images.sh builds the images from recipes (hack/images/*.image) with umoci.
/// Both ways must give the same image to run: entrypoint, user, environment, working directory, ports and the
/// files put on top of the base.
/// </summary>
public sealed class ImageRecipeTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "Dockerfile.agent", "hack/images/agent.image" },
        { "Dockerfile.operator", "hack/images/operator.image" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Recipe_RunsLikeTheDockerfilesFinalStage(string dockerfile, string recipe)
    {
        var final = Dockerfile.Stages(dockerfile)[^1];
        var lines = RecipeLines(recipe);

        foreach (var keyword in new[] { "ENTRYPOINT", "USER", "ENV", "WORKDIR", "EXPOSE" })
        {
            Assert.True(final.All(keyword).SequenceEqual(Values(lines, keyword)),
                $"{recipe} {keyword} [{string.Join(" | ", Values(lines, keyword))}] differs from {dockerfile}'s [{string.Join(" | ", final.All(keyword))}]");
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Recipe_CopiesTheSameBuildOutputsToTheSamePlaces(string dockerfile, string recipe)
    {
        var dockerCopies = Dockerfile.Stages(dockerfile)[^1].All("COPY")
            .Select(c => c.Split(' ').Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray()).ToList();
        var recipeCopies = Values(RecipeLines(recipe), "COPY").Select(c => c.Split(' ')).ToList();

        Assert.Equal(dockerCopies.Select(c => c[^1]), recipeCopies.Select(c => c[^1]));
        // the same output of the same publish: a directory for a directory, the same file name for a file
        foreach (var (docker, local) in dockerCopies.Zip(recipeCopies))
        {
            Assert.Equal(docker[0].EndsWith('/'), local[0].EndsWith('/'));
            Assert.Equal(Path.GetFileName(docker[0]), Path.GetFileName(local[0]));
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Recipe_Base_CarriesWhatTheChiseledBaseGivesADotnetProcess(string dockerfile, string recipe)
    {
        var keep = string.Join(' ', Values(RecipeLines(recipe), "BASE-KEEP"));

        Assert.Contains("chiseled", Dockerfile.Stages(dockerfile)[^1].From, StringComparison.Ordinal);
        // glibc with its loader, OpenSSL for HTTPS (uploads, the API server), the CA bundle
        foreach (var path in new[] { "/lib64", "libssl.so.3", "libcrypto.so.3", "/etc/ssl/certs" })
        {
            Assert.Contains(path, keep, StringComparison.Ordinal);
        }
        Assert.Contains(Values(RecipeLines(recipe), "CHECK"), check => check.StartsWith(EntrypointPath(recipe), StringComparison.Ordinal));
    }

    [Fact]
    public void Recipes_UseOnlyDirectivesTheBuilderKnows()
    {
        var builder = File.ReadAllText(TestPaths.InRepository("hack/lib/images/build.sh"));
        foreach (var recipe in Directory.GetFiles(TestPaths.InRepository("hack/images"), "*.image"))
        {
            foreach (var keyword in RecipeLines(recipe).Select(l => l.Keyword).Distinct())
            {
                Assert.Matches($@"(?m)^\s+{keyword}\)", builder);
            }
        }
    }

    private static string EntrypointPath(string recipe) =>
        Values(RecipeLines(recipe), "ENTRYPOINT").Single().Split('"')[1];

    private static IEnumerable<string> Values(IEnumerable<DockerInstruction> lines, string keyword) =>
        lines.Where(l => l.Keyword == keyword).Select(l => l.Arguments);

    private static List<DockerInstruction> RecipeLines(string recipe) =>
        File.ReadAllLines(TestPaths.InRepository(recipe))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2))
            .Select(p => new DockerInstruction(p[0], p[1]))
            .ToList();
}
