using System.Globalization;
using System.IO.Compression;
using Google.Protobuf;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;
using static Pyrometer.Rendering.Pprof.ProfileProto;

namespace Pyrometer.Rendering.Pprof;

/// <summary>
/// Reads a pprof profile (gzipped or not) into a <see cref="Profile"/>: locations become Python frames
/// (inlined lines expanded), the pid/process and thread_id/thread labels become pseudo-frames, and the
/// "samples" value (else the default or first sample type) becomes the count. Pyrometer's comments
/// restore the metadata.
/// </summary>
internal static class PprofReader
{
    public static Profile Read(Stream input, ProfileMetadata? metadata = null, long maxBytes = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var bytes = BoundedCopy.ReadAll(input, maxBytes, "pprof");
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            try
            {
                bytes = BoundedCopy.ReadAll(gzip, maxBytes, "pprof after inflating");
            }
            catch (InvalidDataException e)
            {
                // Not e.Message: a resource key in the NativeAOT agent (UseSystemResourceKeys).
                throw new ProfileFormatException("pprof: the gzip stream is damaged", e);
            }
        }
        try
        {
            return Decode(bytes, metadata);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProfileFormatException("pprof: not a valid profile.proto message: " + e.Message, e);
        }
    }

    private static Profile Decode(byte[] bytes, ProfileMetadata? metadata)
    {
        var sampleTypes = new List<long>();
        var samples = new List<ByteString>();
        var locations = new Dictionary<ulong, List<(ulong Function, long Line)>>();
        var functions = new Dictionary<ulong, (long Name, long File, long StartLine)>();
        var strings = new List<string>();
        var comments = new List<long>();
        long timeNanos = 0;
        long durationNanos = 0;
        long defaultSampleType = 0;

        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case SampleType:
                    sampleTypes.Add(ReadValueType(input.ReadBytes()));
                    break;
                case Sample:
                    samples.Add(input.ReadBytes());
                    break;
                case Location:
                    ReadLocation(input.ReadBytes(), locations);
                    break;
                case Function:
                    ReadFunction(input.ReadBytes(), functions);
                    break;
                case StringTable:
                    strings.Add(input.ReadString());
                    break;
                case TimeNanos:
                    timeNanos = input.ReadInt64();
                    break;
                case DurationNanos:
                    durationNanos = input.ReadInt64();
                    break;
                case Comment:
                    ReadInt64s(input, tag, comments);
                    break;
                case DefaultSampleType:
                    defaultSampleType = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        string S(long index) => index >= 0 && index < strings.Count
            ? strings[(int)index]
            : throw new ProfileFormatException($"pprof: string index {index} is outside the string table ({strings.Count} entries).");

        // pid and thread_id: string labels (what Pyrometer writes now), else numeric ones (older files, other tools).
        long Number(long str, long num) =>
            str != 0 && long.TryParse(S(str), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : num;

        var valueIndex = sampleTypes.FindIndex(t => S(t) == "samples");
        if (valueIndex < 0)
        {
            valueIndex = defaultSampleType != 0 ? Math.Max(0, sampleTypes.FindIndex(t => t == defaultSampleType)) : 0;
        }

        var builder = new ProfileBuilder();
        var frameOfLine = new Dictionary<(ulong Function, long Line), int>();
        var stack = new List<int>();
        var ids = new List<ulong>();
        var values = new List<long>();
        foreach (var sample in samples)
        {
            ids.Clear();
            values.Clear();
            long pid = 0;
            long tid = -1;
            var processName = "";
            var threadName = "";
            var sampleInput = sample.CreateCodedInput();
            while ((tag = sampleInput.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case SampleLocationId:
                        ReadUInt64s(sampleInput, tag, ids);
                        break;
                    case SampleValue:
                        ReadInt64s(sampleInput, tag, values);
                        break;
                    case SampleLabel:
                        var (key, str, num) = ReadLabel(sampleInput.ReadBytes());
                        switch (S(key))
                        {
                            case PprofLabels.Pid:
                                pid = Number(str, num);
                                break;
                            case PprofLabels.Process:
                                processName = S(str);
                                break;
                            case PprofLabels.ThreadId:
                                tid = Number(str, num);
                                break;
                            case PprofLabels.Thread:
                                threadName = S(str);
                                break;
                        }
                        break;
                    default:
                        sampleInput.SkipLastField();
                        break;
                }
            }

            if (values.Count <= valueIndex)
            {
                throw new ProfileFormatException($"pprof: a sample has {values.Count} values but the profile declares {sampleTypes.Count} sample types.");
            }
            var count = values[valueIndex];
            if (count < 0)
            {
                throw new ProfileFormatException($"pprof: a sample has a negative count ({count}).");
            }
            if (count == 0)
            {
                continue;
            }

            stack.Clear();
            // Pyrometer writes a nameless thread's id as its thread label too; that is no name.
            if (tid >= 0 && threadName == tid.ToString(CultureInfo.InvariantCulture))
            {
                threadName = "";
            }
            if (pid is > 0 and <= int.MaxValue)
            {
                stack.Add(builder.InternProcess((int)pid, processName));
            }
            if (tid >= 0)
            {
                stack.Add(builder.InternThread(tid, threadName));
            }
            var firstPython = stack.Count;
            foreach (var id in ids)
            {
                if (!locations.TryGetValue(id, out var lines))
                {
                    throw new ProfileFormatException($"pprof: a sample refers to location {id}, which is not defined.");
                }
                // Lines are innermost first, like the locations; the stack is built leaf first and turned around below.
                foreach (var line in lines)
                {
                    if (!frameOfLine.TryGetValue(line, out var frame))
                    {
                        if (!functions.TryGetValue(line.Function, out var function))
                        {
                            throw new ProfileFormatException($"pprof: location {id} refers to function {line.Function}, which is not defined.");
                        }
                        var name = S(function.Name);
                        frame = builder.InternPython(name.Length > 0 ? name : "[unknown]", S(function.File), ClampLine(line.Line), ClampLine(function.StartLine));
                        frameOfLine.Add(line, frame);
                    }
                    stack.Add(frame);
                }
            }
            if (stack.Count == 0)
            {
                continue;   // nothing to draw for a sample without frames or pseudo-frames
            }
            stack.Reverse(firstPython, stack.Count - firstPython);
            builder.AddSample(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(stack), count);
        }

        return builder.Build(metadata ?? Metadata(comments.Select(S), timeNanos, durationNanos));
    }

    private static ProfileMetadata Metadata(IEnumerable<string> comments, long timeNanos, long durationNanos)
    {
        var target = "";
        var versions = new List<string>();
        double rate = 0;
        long missed = 0;
        long errors = 0;
        foreach (var comment in comments)
        {
            if (comment.StartsWith(PprofLabels.TargetComment, StringComparison.Ordinal))
            {
                target = comment[PprofLabels.TargetComment.Length..];
            }
            else if (comment.StartsWith(PprofLabels.PythonComment, StringComparison.Ordinal))
            {
                versions.Add(comment[PprofLabels.PythonComment.Length..]);
            }
            else if (comment.StartsWith(PprofLabels.RateComment, StringComparison.Ordinal))
            {
                _ = double.TryParse(comment.AsSpan(PprofLabels.RateComment.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out rate);
            }
            else if (comment.StartsWith(PprofLabels.MissedComment, StringComparison.Ordinal))
            {
                _ = long.TryParse(comment.AsSpan(PprofLabels.MissedComment.Length), NumberStyles.None, CultureInfo.InvariantCulture, out missed);
            }
            else if (comment.StartsWith(PprofLabels.ErrorsComment, StringComparison.Ordinal))
            {
                _ = long.TryParse(comment.AsSpan(PprofLabels.ErrorsComment.Length), NumberStyles.None, CultureInfo.InvariantCulture, out errors);
            }
        }
        return new ProfileMetadata
        {
            Target = target,
            PythonVersions = versions,
            StartTime = timeNanos > 0 ? DateTimeOffset.UnixEpoch.AddTicks(timeNanos / 100) : null,
            Duration = TimeSpan.FromTicks(Math.Max(0, durationNanos) / 100),
            RateHz = rate,
            MissedSamples = missed,
            ErrorSamples = errors,
        };
    }

    private static long ReadValueType(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        long type = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == ValueTypeType)
            {
                type = input.ReadInt64();
            }
            else
            {
                input.SkipLastField();
            }
        }
        return type;
    }

    private static void ReadLocation(ByteString bytes, Dictionary<ulong, List<(ulong Function, long Line)>> locations)
    {
        var input = bytes.CreateCodedInput();
        ulong id = 0;
        var lines = new List<(ulong, long)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case LocationId:
                    id = input.ReadUInt64();
                    break;
                case LocationLine:
                    var lineInput = input.ReadBytes().CreateCodedInput();
                    ulong function = 0;
                    long line = 0;
                    uint lineTag;
                    while ((lineTag = lineInput.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(lineTag))
                        {
                            case LineFunctionId:
                                function = lineInput.ReadUInt64();
                                break;
                            case LineLine:
                                line = lineInput.ReadInt64();
                                break;
                            default:
                                lineInput.SkipLastField();
                                break;
                        }
                    }
                    lines.Add((function, line));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        if (id == 0)
        {
            throw new ProfileFormatException("pprof: a location has no id.");
        }
        if (lines.Count == 0)
        {
            lines.Add((0, 0));   // an address without symbols: shown as an unknown frame
        }
        locations[id] = lines;
    }

    private static int ClampLine(long line) => line is >= 0 and <= int.MaxValue ? (int)line : 0;

    private static void ReadFunction(ByteString bytes, Dictionary<ulong, (long Name, long File, long StartLine)> functions)
    {
        var input = bytes.CreateCodedInput();
        ulong id = 0;
        long name = 0;
        long file = 0;
        long startLine = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case FunctionId:
                    id = input.ReadUInt64();
                    break;
                case FunctionName:
                    name = input.ReadInt64();
                    break;
                case FunctionFilename:
                    file = input.ReadInt64();
                    break;
                case FunctionStartLine:
                    startLine = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        if (id == 0)
        {
            throw new ProfileFormatException("pprof: a function has no id.");
        }
        functions[id] = (name, file, startLine);
    }

    private static (long Key, long Str, long Num) ReadLabel(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        long key = 0;
        long str = 0;
        long num = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case LabelKey:
                    key = input.ReadInt64();
                    break;
                case LabelStr:
                    str = input.ReadInt64();
                    break;
                case LabelNum:
                    num = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return (key, str, num);
    }

    // Repeated scalars may come packed (one length-delimited run) or one by one; readers must accept both.
    private static void ReadUInt64s(CodedInputStream input, uint tag, List<ulong> into)
    {
        if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
        {
            into.Add(input.ReadUInt64());
            return;
        }
        var packed = input.ReadBytes().CreateCodedInput();
        while (!packed.IsAtEnd)
        {
            into.Add(packed.ReadUInt64());
        }
    }

    private static void ReadInt64s(CodedInputStream input, uint tag, List<long> into)
    {
        if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
        {
            into.Add(input.ReadInt64());
            return;
        }
        var packed = input.ReadBytes().CreateCodedInput();
        while (!packed.IsAtEnd)
        {
            into.Add(packed.ReadInt64());
        }
    }
}
