using System.Text;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Speedscope;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests;

/// <summary>Golden/&lt;case&gt;/input.folded rendered to every text format and compared with the checked-in files.</summary>
public sealed class RenderingGoldenTests
{
    public static TheoryData<string> Cases => ["simple", "processes", "empty"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void FlameGraph_GoldenInput_MatchesExpectedSvg(string caseName)
    {
        var svg = Render(caseName, (profile, stream) => FlameGraphWriter.Write(profile, stream));

        GoldenFile.AssertMatches(caseName, "expected.svg", SvgFrames.ForGolden(svg));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FlameGraph_IcicleOrientation_MatchesExpectedSvg(string caseName)
    {
        var options = new FlameGraphOptions { Orientation = FlameOrientation.Icicle, IncludeScript = false };
        var svg = Render(caseName, (profile, stream) => FlameGraphWriter.Write(profile, stream, options));

        GoldenFile.AssertMatches(caseName, "expected.icicle.svg", SvgFrames.ForGolden(svg));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Speedscope_GoldenInput_MatchesExpectedJson(string caseName)
    {
        var options = new SpeedscopeOptions { Indented = true, Version = "0.0.0-golden" };
        var json = Render(caseName, (profile, stream) => SpeedscopeWriter.Write(profile, stream, options));

        GoldenFile.AssertMatches(caseName, "expected.speedscope.json", Encoding.UTF8.GetString(json) + "\n");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Folded_GoldenInput_MatchesExpectedFolded(string caseName)
    {
        var folded = Render(caseName, FoldedWriter.Write);

        GoldenFile.AssertMatches(caseName, "expected.folded", Encoding.UTF8.GetString(folded));
    }

    internal static Profile Load(string caseName)
    {
        using var input = File.OpenRead(Path.Combine(TestPaths.Golden(caseName), "input.folded"));
        return FoldedReader.Read(input, new ProfileMetadata
        {
            Target = "golden " + caseName,
            PythonVersions = ["3.12.7"],
            StartTime = new DateTimeOffset(2026, 11, 21, 10, 0, 1, TimeSpan.Zero),
            Duration = TimeSpan.FromSeconds(30),
            RateHz = 100,
            MissedSamples = 4,
            ErrorSamples = 1,
        });
    }

    private static byte[] Render(string caseName, Action<Profile, Stream> write)
    {
        using var output = new MemoryStream();
        write(Load(caseName), output);
        return output.ToArray();
    }
}
