using System.Diagnostics;
using System.IO.Compression;
using Google.Protobuf;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Pprof;
using Pyrometer.Rendering.Tests.Support;
using static Pyrometer.Rendering.Pprof.ProfileProto;

namespace Pyrometer.Rendering.Tests.Pprof;

/// <summary>
/// The labels pprof samples carry, read straight from the written bytes (not through our reader): every one a
/// string, so <c>go tool pprof -tagfocus</c> and <c>-tags</c> work on them; and go's pprof itself listing them.
/// </summary>
public sealed class PprofWriterTests
{
    [Fact]
    public void Write_ProcessAndThreadFrames_EverySampleHasStringLabels()
    {
        var builder = new ProfileBuilder();
        var process = builder.InternProcess(4242, "gunicorn: worker [app]");
        var main = builder.InternThread(101, "MainThread");
        var nameless = builder.InternThread(102, "");
        var work = builder.InternPython("work", "app.py", 10);
        builder.AddSample([process, main, work], 5);
        builder.AddSample([process, nameless, work], 3);
        builder.AddSample([work], 2);

        var samples = Decode(PprofRoundTripTests.Write(builder.Build(ProfileMetadata.None)));

        Assert.Equal(
            [
                "5: pid=4242 process=gunicorn: worker [app] thread_id=101 thread=MainThread",
                "3: pid=4242 process=gunicorn: worker [app] thread_id=102 thread=102",
                "2: ",
            ],
            samples.Select(s => $"{s.Count}: {string.Join(' ', s.Labels.Select(l => l.Key + "=" + l.Value))}").OrderByDescending(s => s, StringComparer.Ordinal));
        Assert.All(samples.SelectMany(s => s.Labels), label => Assert.True(label.IsString, $"{label.Key} is numeric"));
    }

    [Fact]
    public void WriteThenRead_NamelessThread_ComesBackNameless()
    {
        var builder = new ProfileBuilder();
        builder.AddSample([builder.InternProcess(7, "python app.py"), builder.InternThread(102, ""), builder.InternPython("work", "app.py", 10)], 3);

        var reread = PprofReader.Read(new MemoryStream(PprofRoundTripTests.Write(builder.Build(ProfileMetadata.None))));

        Assert.Equal(["pid 7 python app.py", "thread 102", "work (app.py:10)"], reread.GetStack(0).ToArray().Select(id => reread.GetFrame(id).Text));
    }

    [Fact]
    public void Write_SameProfileTwice_SameBytes()
    {
        var profile = RandomProfiles.Create(11, 300).Profile;

        Assert.Equal(PprofRoundTripTests.Write(profile), PprofRoundTripTests.Write(profile));
    }

    [ToolFact("go")]
    public void Write_Labels_GoToolPprofListsAndFocusesOnThem()
    {
        var builder = new ProfileBuilder();
        var process = builder.InternProcess(4242, "python app.py");
        builder.AddSample([process, builder.InternThread(101, "MainThread"), builder.InternPython("serve", "app.py", 10)], 30);
        builder.AddSample([process, builder.InternThread(102, "worker-1"), builder.InternPython("crunch", "jobs.py", 20)], 12);
        var path = Path.Combine(Path.GetTempPath(), $"pyrometer-test-labels-{Environment.ProcessId}.pb.gz");
        File.WriteAllBytes(path, PprofRoundTripTests.Write(builder.Build(ProfileMetadata.None)));
        try
        {
            var tags = Go("tool", "pprof", "-tags", path);
            var focused = Go("tool", "pprof", "-top", "-tagfocus", "thread=worker-1", path);
            var byId = Go("tool", "pprof", "-top", "-tagfocus", "thread_id=^101$", path);

            // -tags prints each label key, then each value with its samples (e.g. " 30 (71.43%): MainThread").
            foreach (var expected in new[] { "pid:", "4242", "process:", "python app.py", "thread:", "MainThread", "worker-1", "thread_id:", "101", "102" })
            {
                Assert.Contains(expected, tags, StringComparison.Ordinal);
            }
            Assert.Matches(@"30(\.0)? \(\s*71\.43%\): MainThread", tags);
            Assert.Matches(@"12(\.0)? \(\s*28\.57%\): worker-1", tags);
            Assert.Contains("crunch", focused, StringComparison.Ordinal);
            Assert.DoesNotContain("serve", focused, StringComparison.Ordinal);
            Assert.Contains("serve", byId, StringComparison.Ordinal);
            Assert.DoesNotContain("crunch", byId, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Go(params string[] arguments)
    {
        var start = new ProcessStartInfo(Tools.Find("go")!, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"go {string.Join(' ', arguments)} failed: {error}");
        return output.Result;
    }

    private sealed record Label(string Key, string Value, bool IsString);

    private sealed record DecodedSample(long Count, List<Label> Labels);

    // A reader of its own: only the string table and the samples' first value and labels.
    private static List<DecodedSample> Decode(byte[] gzipped)
    {
        using var plain = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress))
        {
            gzip.CopyTo(plain);
        }
        var strings = new List<string>();
        var samples = new List<ByteString>();
        var input = new CodedInputStream(plain.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case StringTable:
                    strings.Add(input.ReadString());
                    break;
                case Sample:
                    samples.Add(input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        var decoded = new List<DecodedSample>();
        foreach (var sample in samples)
        {
            var sampleInput = sample.CreateCodedInput();
            long? count = null;
            var labels = new List<Label>();
            while ((tag = sampleInput.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case SampleValue:
                        var values = sampleInput.ReadBytes().CreateCodedInput();
                        count ??= values.ReadInt64();
                        break;
                    case SampleLabel:
                        var label = sampleInput.ReadBytes().CreateCodedInput();
                        long key = 0, str = 0, num = 0;
                        while ((tag = label.ReadTag()) != 0)
                        {
                            var value = label.ReadInt64();
                            switch (WireFormat.GetTagFieldNumber(tag))
                            {
                                case LabelKey: key = value; break;
                                case LabelStr: str = value; break;
                                case LabelNum: num = value; break;
                            }
                        }
                        labels.Add(str != 0 ? new Label(strings[(int)key], strings[(int)str], true) : new Label(strings[(int)key], num.ToString(System.Globalization.CultureInfo.InvariantCulture), false));
                        break;
                    default:
                        sampleInput.SkipLastField();
                        break;
                }
            }
            decoded.Add(new DecodedSample(count ?? 0, labels));
        }
        return decoded;
    }
}
