using Google.Protobuf;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Pprof;

namespace Pyrometer.Rendering.Tests.Pprof;

/// <summary>Profiles written by other tools: unpacked repeated fields, inlined lines, other sample types.</summary>
public sealed class PprofReaderTests
{
    private static readonly string[] Strings = ["", "cpu", "nanoseconds", "outer", "inner", "main", "a.py"];

    [Fact]
    public void Read_ForeignProfile_InlinedLinesAndUnpackedFields()
    {
        // strings: 0 "", 1 cpu, 2 nanoseconds, 3 outer, 4 inner, 5 main, 6 a.py
        var bytes = Message(output =>
        {
            ValueType(output, 1, 1, 2);
            Sub(output, 2, sample =>
            {
                Varint(sample, 1, 10);   // location 10 (leaf), unpacked
                Varint(sample, 1, 20);
                Varint(sample, 2, 7);    // value, unpacked
            });
            Sub(output, 4, location =>
            {
                Varint(location, 1, 10);
                Sub(location, 4, line => { Varint(line, 1, 2); Varint(line, 2, 5); });   // inner, inlined into
                Sub(location, 4, line => { Varint(line, 1, 1); Varint(line, 2, 3); });   // outer
            });
            Sub(output, 4, location =>
            {
                Varint(location, 1, 20);
                Sub(location, 4, line => { Varint(line, 1, 3); Varint(line, 2, 1); });
            });
            Sub(output, 5, function => { Varint(function, 1, 1); Varint(function, 2, 3); Varint(function, 4, 6); });
            Sub(output, 5, function => { Varint(function, 1, 2); Varint(function, 2, 4); Varint(function, 4, 6); });
            Sub(output, 5, function => { Varint(function, 1, 3); Varint(function, 2, 5); Varint(function, 4, 6); });
            foreach (var text in Strings)
            {
                output.WriteTag(6, WireFormat.WireType.LengthDelimited);
                output.WriteString(text);
            }
        });

        var profile = PprofReader.Read(new MemoryStream(bytes));

        Assert.Equal(1, profile.StackCount);
        Assert.Equal(7, profile.TotalSamples);
        Assert.Equal(
            ["main (a.py:1)", "outer (a.py:3)", "inner (a.py:5)"],
            profile.GetStack(0).ToArray().Select(id => profile.GetFrame(id).Text));
    }

    [Fact]
    public void Read_UndefinedLocation_ThrowsNamingIt()
    {
        var bytes = Message(output =>
        {
            Sub(output, 2, sample => { Varint(sample, 1, 99); Varint(sample, 2, 1); });
            output.WriteTag(6, WireFormat.WireType.LengthDelimited);
            output.WriteString("");
        });

        var error = Assert.Throws<ProfileFormatException>(() => PprofReader.Read(new MemoryStream(bytes)));

        Assert.Contains("location 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NumericPidAndThreadIdLabels_StillBecomePseudoFrames()
    {
        // strings: 0 "", 1 samples, 2 count, 3 pid, 4 process, 5 thread_id, 6 thread, 7 python app.py, 8 worker, 9 run, 10 a.py
        string[] strings = ["", "samples", "count", "pid", "process", "thread_id", "thread", "python app.py", "worker", "run", "a.py"];
        var bytes = Message(output =>
        {
            ValueType(output, 1, 1, 2);
            Sub(output, 2, sample =>
            {
                Varint(sample, 1, 1);
                Varint(sample, 2, 4);
                Sub(sample, 3, label => { Varint(label, 1, 3); Varint(label, 3, 77); });   // pid, numeric (older files)
                Sub(sample, 3, label => { Varint(label, 1, 4); Varint(label, 2, 7); });
                Sub(sample, 3, label => { Varint(label, 1, 5); Varint(label, 3, 140); });
                Sub(sample, 3, label => { Varint(label, 1, 6); Varint(label, 2, 8); });
            });
            Sub(output, 4, location => { Varint(location, 1, 1); Sub(location, 4, line => { Varint(line, 1, 1); Varint(line, 2, 3); }); });
            Sub(output, 5, function => { Varint(function, 1, 1); Varint(function, 2, 9); Varint(function, 4, 10); });
            foreach (var text in strings)
            {
                output.WriteTag(6, WireFormat.WireType.LengthDelimited);
                output.WriteString(text);
            }
        });

        var profile = PprofReader.Read(new MemoryStream(bytes));

        Assert.Equal(["pid 77 python app.py", "thread 140 worker", "run (a.py:3)"], profile.GetStack(0).ToArray().Select(id => profile.GetFrame(id).Text));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }
        return buffer.ToArray();
    }

    private static void Sub(CodedOutputStream output, int field, Action<CodedOutputStream> write)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(Message(write)));
    }

    private static void Varint(CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    private static void ValueType(CodedOutputStream output, int field, long type, long unit) =>
        Sub(output, field, v => { Varint(v, 1, type); Varint(v, 2, unit); });
}
