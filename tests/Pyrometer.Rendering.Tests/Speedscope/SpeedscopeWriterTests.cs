using System.Text.Json;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Speedscope;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Speedscope;

public sealed class SpeedscopeWriterTests
{
    [SpeedscopeSchemaFact]
    public void Write_RandomProfiles_ValidAgainstSpeedscopeSchema()
    {
        using var schema = JsonDocument.Parse(File.ReadAllBytes(TestPaths.SpeedscopeSchema));
        var validator = new JsonSchemaValidator(schema.RootElement);
        foreach (var perThread in new[] { false, true })
        {
            foreach (var profile in new[] { RandomProfiles.Create(5, 400).Profile, RandomProfiles.Create(6, 50, pseudoFrames: false).Profile, Profile.Empty(ProfileMetadata.None) })
            {
                using var document = JsonDocument.Parse(Write(profile, new SpeedscopeOptions { PerThread = perThread }));

                Assert.Empty(validator.Validate(document.RootElement));
            }
        }
        foreach (var golden in Directory.GetFiles(Path.Combine(TestPaths.ProjectDirectory, "Golden"), "expected.speedscope.json", SearchOption.AllDirectories))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(golden));

            Assert.True(validator.Validate(document.RootElement).Count == 0, $"{golden} does not match speedscope's schema");
        }
    }

    [Fact]
    public void Write_Processes_OneSampledProfilePerProcessSharingFrames()
    {
        var profile = RandomProfiles.FromFolded(
            new ProfileMetadata { Target = "pod shop/api" },
            ("pid 7 web;thread 1 Main;main (app.py:1);work (app.py:9)", 5),
            ("pid 7 web;thread 2 Pool;main (app.py:1)", 2),
            ("pid 8 web;main (app.py:1);<lambda> (app.py:20)", 3));

        using var document = JsonDocument.Parse(Write(profile, new SpeedscopeOptions { Version = "1.2.3" }));
        var root = document.RootElement;

        Assert.Equal("https://www.speedscope.app/file-format-schema.json", root.GetProperty("$schema").GetString());
        Assert.Equal("pyrometer@1.2.3", root.GetProperty("exporter").GetString());
        Assert.Equal("pod shop/api", root.GetProperty("name").GetString());
        var frames = root.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["<lambda>", "main", "work"], frames);
        var profiles = root.GetProperty("profiles").EnumerateArray().ToList();
        Assert.Equal(["pid 7 web", "pid 8 web"], profiles.Select(p => p.GetProperty("name").GetString()));
        Assert.All(profiles, p => Assert.Equal("sampled", p.GetProperty("type").GetString()));
        Assert.Equal(7, profiles[0].GetProperty("endValue").GetInt64());
        Assert.Equal([5L, 2L], profiles[0].GetProperty("weights").EnumerateArray().Select(w => w.GetInt64()));
        var samples = profiles[0].GetProperty("samples").EnumerateArray().Select(s => string.Join(",", s.EnumerateArray().Select(i => frames[i.GetInt32()]))).ToList();
        Assert.Equal(["main,work", "main"], samples);   // thread 1 sorts before thread 2
    }

    [Fact]
    public void Write_PerThread_OneProfilePerProcessAndThread()
    {
        var profile = RandomProfiles.FromFolded(
            ProfileMetadata.None,
            ("pid 7 web;thread 1 Main;main (app.py:1)", 5),
            ("pid 7 web;thread 2 Pool;main (app.py:1)", 2));

        using var document = JsonDocument.Parse(Write(profile, new SpeedscopeOptions { PerThread = true }));

        Assert.Equal(
            ["pid 7 web / thread 1 Main", "pid 7 web / thread 2 Pool"],
            document.RootElement.GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public void Write_ByLineFrameFields_FileAndLineOnlyWhenKnown()
    {
        var profile = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (app.py:3);bare", 1));

        using var document = JsonDocument.Parse(Write(profile, new SpeedscopeOptions { ByLine = true }));
        var frames = document.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray().ToList();

        Assert.False(frames[0].TryGetProperty("file", out _));
        Assert.Equal("app.py", frames[1].GetProperty("file").GetString());
        Assert.Equal(3, frames[1].GetProperty("line").GetInt32());
    }

    [Fact]
    public void Write_ByFunction_LinesOfOneFunctionAreOneFrameWithoutALine()
    {
        var profile = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (app.py:3);f (app.py:7)", 2), ("main (app.py:4);f (app.py:8)", 1));

        using var document = JsonDocument.Parse(Write(profile));
        var frames = document.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray().ToList();

        Assert.Equal(["f", "main"], frames.Select(f => f.GetProperty("name").GetString()));
        Assert.All(frames, f => Assert.False(f.TryGetProperty("line", out _)));
        Assert.Equal("app.py", frames[0].GetProperty("file").GetString());
    }

    [Fact]
    public void Write_SameInput_SameBytes()
    {
        Assert.Equal(Write(RandomProfiles.Create(9, 300).Profile), Write(RandomProfiles.Create(9, 300).Profile));
    }

    private static byte[] Write(Profile profile, SpeedscopeOptions? options = null)
    {
        using var output = new MemoryStream();
        SpeedscopeWriter.Write(profile, output, options);
        return output.ToArray();
    }
}
