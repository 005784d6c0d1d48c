using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Target;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

/// <summary>
/// Replays memory recorded from real interpreters (Assets/python-snapshots/walk-*.json.gz: every range
/// the walker read from a live target parked in known places, plus the stacks it produced after they
/// were checked against the target's own sys._current_frames()). Guards every real layout in CI,
/// without the interpreters installed.
/// </summary>
public sealed class StackWalkerSnapshotTests
{
    public static TheoryData<string> Snapshots
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(Folder, "walk-*.json.gz").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }
            return data;
        }
    }

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Assets", "python-snapshots");

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void Sample_RecordedProcess_ReproducesVerifiedStacks(string snapshot)
    {
        using var stream = new GZipStream(File.OpenRead(Path.Combine(Folder, snapshot)), CompressionMode.Decompress);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var memory = new FakeProcessMemory(root.GetProperty("pid").GetInt32());
        foreach (var region in root.GetProperty("regions").EnumerateArray())
        {
            memory.Map(Hex(region.GetProperty("address")), region.GetProperty("data").GetBytesFromBase64());
        }
        var version = PythonVersion.FromHex(Hex(root.GetProperty("versionHex")), root.GetProperty("freeThreaded").GetBoolean());
        var symbols = root.GetProperty("symbols").EnumerateObject().ToDictionary(p => p.Name, p => Hex(p.Value), StringComparer.Ordinal);
        var location = new InterpreterLocation(memory.ProcessId, version, Hex(root.GetProperty("runtime")), symbols, "recorded");
        var layout = LayoutResolver.Resolve(memory, location, out var error);
        Assert.True(layout is not null, error);
        var walker = new StackWalker(memory, location, layout);

        var cold = walker.Sample();
        var warm = walker.Sample();

        var expected = root.GetProperty("threads").EnumerateArray().Select(Describe).ToList();
        Assert.Equal(expected, cold.Threads.Select(Describe));
        Assert.Equal(expected, warm.Threads.Select(Describe));
        Assert.Equal(0, walker.Counters.DroppedThreads);
        Assert.Contains(warm.Threads, t => t.Frames.Count > 60);                  // the 60-deep recursion
        Assert.Contains(warm.Threads, t => t.Frames.Any(f => f.Name == "gen_работа"));
        Assert.InRange(warm.Calls, 1, 8);
    }

    private static string Describe(JsonElement thread) =>
        $"{thread.GetProperty("threadId").GetString()} {thread.GetProperty("nativeId").GetInt32()} {thread.GetProperty("holdsGil").GetBoolean()}: "
        + string.Join(" <- ", thread.GetProperty("frames").EnumerateArray().Select(f => $"{f[0].GetString()}|{f[1].GetString()}|{f[2].GetString()}|{f[3].GetString()}"));

    private static string Describe(ThreadStack thread) =>
        string.Create(CultureInfo.InvariantCulture, $"{thread.ThreadId:x} {thread.NativeThreadId} {thread.HoldsGil}: ")
        + string.Join(" <- ", thread.Frames.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name}|{f.QualifiedName}|{f.File}|{f.Line}")));

    private static ulong Hex(JsonElement value) => ulong.Parse(value.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
