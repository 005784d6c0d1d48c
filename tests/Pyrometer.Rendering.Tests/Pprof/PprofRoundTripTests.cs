using System.Diagnostics;
using System.Text;
using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Pprof;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Pprof;

public sealed partial class PprofRoundTripTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WriteThenRead_RandomProfile_SameStacksCountsAndMetadata(int seed)
    {
        var profile = RandomProfiles.Create(seed, 800).Profile;

        var reread = PprofReader.Read(new MemoryStream(Write(profile)));

        Assert.Equal(Folded(profile), Folded(reread));
        Assert.Equal(profile.Metadata.Target, reread.Metadata.Target);
        Assert.Equal(profile.Metadata.PythonVersions, reread.Metadata.PythonVersions);
        Assert.Equal(profile.Metadata.StartTime, reread.Metadata.StartTime);
        Assert.Equal(profile.Metadata.Duration, reread.Metadata.Duration);
        Assert.Equal(profile.Metadata.RateHz, reread.Metadata.RateHz);
        Assert.Equal(profile.Metadata.MissedSamples, reread.Metadata.MissedSamples);
        Assert.Equal(profile.Metadata.ErrorSamples, reread.Metadata.ErrorSamples);
    }

    [Fact]
    public void WriteThenRead_FunctionStartLine_Survives()
    {
        var builder = new ProfileBuilder();
        builder.AddSample([builder.InternPython("handler", "app.py", 57, functionLine: 50)], 3);

        var reread = PprofReader.Read(new MemoryStream(Write(builder.Build(ProfileMetadata.None))));

        var frame = Assert.Single(reread.Frames);
        Assert.Equal((57, 50), (frame.Line, frame.FunctionLine));
    }

    [Fact]
    public void Write_Output_IsGzipAndDeterministic()
    {
        var first = Write(RandomProfiles.Create(4, 100).Profile);
        var second = Write(RandomProfiles.Create(4, 100).Profile);

        Assert.Equal([0x1f, 0x8b], first[..2]);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Write_EmptyProfile_ReadsBackEmpty()
    {
        var reread = PprofReader.Read(new MemoryStream(Write(Profile.Empty(ProfileMetadata.None))));

        Assert.True(reread.IsEmpty);
    }

    [Fact]
    public void Read_Garbage_ThrowsProfileFormatException()
    {
        Assert.Throws<ProfileFormatException>(() => PprofReader.Read(new MemoryStream([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])));
        Assert.Throws<ProfileFormatException>(() => PprofReader.Read(new MemoryStream([0x12, 0x05, 0x0a])));
    }

    [ToolFact("go")]
    public void Write_RandomProfile_GoToolPprofReadsIt()
    {
        var profile = RandomProfiles.Create(8, 100).Profile;
        var path = Path.Combine(Path.GetTempPath(), $"pyrometer-test-{Environment.ProcessId}.pb.gz");
        File.WriteAllBytes(path, Write(profile));
        try
        {
            var start = new ProcessStartInfo(Tools.Find("go")!, ["tool", "pprof", "-raw", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();

            Assert.True(process.ExitCode == 0, $"go tool pprof failed: {error}");
            Assert.Contains("samples/count[dflt] cpu/nanoseconds", output, StringComparison.Ordinal);
            Assert.Contains("PeriodType: cpu nanoseconds", output, StringComparison.Ordinal);
            Assert.Contains("Duration: 30s", output, StringComparison.Ordinal);
            Assert.Contains("pid:[7]", output, StringComparison.Ordinal);
            Assert.Contains("thread:[MainThread]", output, StringComparison.Ordinal);
            Assert.Contains("Comment: pyrometer.target=random", output, StringComparison.Ordinal);
            // Every sample line is "<count> <cpu ns>: <location ids>"; go must see exactly our samples.
            var counted = SampleLine().Matches(output).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(profile.TotalSamples, counted);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [ToolFact("go")]
    public void Write_ModuleAndLambdaFrames_GoToolPprofShowsTheirNames()
    {
        var builder = new ProfileBuilder();
        builder.AddSample([builder.InternPython("<module>", "app.py", 3), builder.InternPython("<lambda>", "app.py", 7),
            builder.InternPython("<listcomp>", "app.py", 8)], 5);
        var path = Path.Combine(Path.GetTempPath(), $"pyrometer-test-module-{Environment.ProcessId}.pb.gz");
        File.WriteAllBytes(path, Write(builder.Build(ProfileMetadata.None)));
        try
        {
            var start = new ProcessStartInfo(Tools.Find("go")!, ["tool", "pprof", "-traces", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();

            Assert.True(process.ExitCode == 0, $"go tool pprof failed: {error}");
            Assert.DoesNotContain("<unknown>", output, StringComparison.Ordinal);
            // -traces lists the innermost frame first.
            Assert.Matches(@"5\s+<listcomp>\s+<lambda>\s+<module>\s", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s+(\d+)\s+\d+: [\d ]+$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex SampleLine();

    internal static byte[] Write(Profile profile)
    {
        using var output = new MemoryStream();
        PprofWriter.Write(profile, output);
        return output.ToArray();
    }

    private static string Folded(Profile profile)
    {
        using var output = new MemoryStream();
        FoldedWriter.Write(profile, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
