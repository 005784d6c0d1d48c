using System.Globalization;
using System.IO.Compression;
using Google.Protobuf;
using Pyrometer.Rendering.Model;
using static Pyrometer.Rendering.Pprof.ProfileProto;

namespace Pyrometer.Rendering.Pprof;

/// <summary>
/// A gzipped pprof profile (profile.proto) written field by field with <see cref="CodedOutputStream"/>.
/// Sample types samples/count and cpu/nanoseconds; one function per (name, file), one location per frame
/// line; process and thread pseudo-frames become the string labels pid/process and thread_id/thread (thread is the
/// thread's name, or its id when it has none). Samples are aggregated: a pprof sample has no time of its own, so a
/// timeline is not written (speedscope keeps it).
/// </summary>
internal static class PprofWriter
{
    public static void Write(Profile profile, Stream output, PprofOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(output);
        options ??= PprofOptions.Default;
        if (!double.IsFinite(options.AssumedRateHz) || options.AssumedRateHz <= 0)
        {
            throw new ArgumentException($"PprofOptions.AssumedRateHz must be a positive number; it is {options.AssumedRateHz}.", nameof(options));
        }
        using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        using var coded = new CodedOutputStream(gzip, leaveOpen: true);
        new Encoder(profile, options).Write(coded);
        coded.Flush();
    }

    private sealed class Encoder
    {
        private readonly Profile _profile;
        private readonly Dictionary<string, long> _strings = new(StringComparer.Ordinal);
        private readonly List<string> _table = [];
        private readonly long[] _location;          // frame id → location id, 0 for pseudo-frames
        private readonly long[] _function;          // frame id → function id
        private readonly List<(long Name, long File, long StartLine)> _functions = [];
        private readonly long _period;

        public Encoder(Profile profile, PprofOptions options)
        {
            _profile = profile;
            var rate = profile.Metadata.RateHz > 0 ? profile.Metadata.RateHz : options.AssumedRateHz;
            _period = (long)Math.Round(1e9 / rate);
            foreach (var fixedString in (ReadOnlySpan<string>)["", "samples", "count", "cpu", "nanoseconds", PprofLabels.Pid, PprofLabels.Process, PprofLabels.ThreadId, PprofLabels.Thread])
            {
                Str(fixedString);
            }

            _location = new long[profile.Frames.Count];
            _function = new long[profile.Frames.Count];
            var functionIds = new Dictionary<(string, string), long>();
            long locations = 0;
            for (var id = 0; id < profile.Frames.Count; id++)
            {
                var frame = profile.GetFrame(id);
                if (frame.IsPseudo)
                {
                    Str(frame.Name);
                    Str(frame.Number.ToString(CultureInfo.InvariantCulture));
                    continue;
                }
                _location[id] = ++locations;
                if (!functionIds.TryGetValue((frame.Name, frame.File), out var function))
                {
                    _functions.Add((Str(frame.Name), Str(frame.File), frame.FunctionLine));
                    function = _functions.Count;
                    functionIds.Add((frame.Name, frame.File), function);
                }
                _function[id] = function;
            }
            foreach (var comment in Comments(profile.Metadata))
            {
                Str(comment);
            }
        }

        public void Write(CodedOutputStream output)
        {
            WriteValueType(output, SampleType, Str("samples"), Str("count"));
            WriteValueType(output, SampleType, Str("cpu"), Str("nanoseconds"));

            var locations = new List<long>();
            for (var i = 0; i < _profile.StackCount; i++)
            {
                WriteSample(output, _profile.GetStack(i), _profile.GetCount(i), locations);
            }

            for (var id = 0; id < _profile.Frames.Count; id++)
            {
                if (_location[id] == 0)
                {
                    continue;
                }
                var line = Int64Size(LineFunctionId, _function[id]) + Int64Size(LineLine, _profile.GetFrame(id).Line);
                var size = Int64Size(LocationId, _location[id]) + MessageSize(LocationLine, line);
                output.WriteTag(Location, WireFormat.WireType.LengthDelimited);
                output.WriteLength(size);
                WriteInt64(output, LocationId, _location[id]);
                output.WriteTag(LocationLine, WireFormat.WireType.LengthDelimited);
                output.WriteLength(line);
                WriteInt64(output, LineFunctionId, _function[id]);
                WriteInt64(output, LineLine, _profile.GetFrame(id).Line);
            }

            for (var f = 0; f < _functions.Count; f++)
            {
                var (name, file, startLine) = _functions[f];
                // No system_name: go tool pprof "demangles" a function whose system_name equals its name and
                // looks like C++, cutting <...> out, so <module>, <lambda> and <listcomp> became <unknown>.
                var size = Int64Size(FunctionId, f + 1) + Int64Size(FunctionName, name)
                    + Int64Size(FunctionFilename, file) + Int64Size(FunctionStartLine, startLine);
                output.WriteTag(Function, WireFormat.WireType.LengthDelimited);
                output.WriteLength(size);
                WriteInt64(output, FunctionId, f + 1);
                WriteInt64(output, FunctionName, name);
                WriteInt64(output, FunctionFilename, file);
                WriteInt64(output, FunctionStartLine, startLine);
            }

            foreach (var text in _table)
            {
                output.WriteTag(StringTable, WireFormat.WireType.LengthDelimited);
                output.WriteString(text);
            }

            var metadata = _profile.Metadata;
            if (metadata.StartTime is { } start)
            {
                WriteInt64(output, TimeNanos, (start - DateTimeOffset.UnixEpoch).Ticks * 100);
            }
            WriteInt64(output, DurationNanos, metadata.Duration.Ticks * 100);
            WriteValueType(output, PeriodType, Str("cpu"), Str("nanoseconds"));
            WriteInt64(output, Period, _period);
            foreach (var comment in Comments(metadata))
            {
                WriteInt64(output, Comment, Str(comment));
            }
            WriteInt64(output, DefaultSampleType, Str("samples"));
        }

        private void WriteSample(CodedOutputStream output, ReadOnlySpan<int> stack, long count, List<long> locations)
        {
            locations.Clear();
            Frame? process = null;
            Frame? thread = null;
            for (var d = stack.Length - 1; d >= 0; d--)   // pprof lists the leaf first
            {
                var frame = _profile.GetFrame(stack[d]);
                switch (frame.Kind)
                {
                    case FrameKind.Process:
                        process = frame;
                        break;
                    case FrameKind.Thread:
                        thread = frame;
                        break;
                    default:
                        locations.Add(_location[stack[d]]);
                        break;
                }
            }

            var locationBytes = 0;
            foreach (var location in locations)
            {
                locationBytes += CodedOutputStream.ComputeUInt64Size((ulong)location);
            }
            var values = (Count: count, Cpu: count * _period);
            var valueBytes = CodedOutputStream.ComputeInt64Size(values.Count) + CodedOutputStream.ComputeInt64Size(values.Cpu);
            var size = (locations.Count > 0 ? MessageSize(SampleLocationId, locationBytes) : 0) + MessageSize(SampleValue, valueBytes);
            size += LabelsSize(process, PprofLabels.Pid, PprofLabels.Process) + LabelsSize(thread, PprofLabels.ThreadId, PprofLabels.Thread);

            output.WriteTag(Sample, WireFormat.WireType.LengthDelimited);
            output.WriteLength(size);
            if (locations.Count > 0)
            {
                output.WriteTag(SampleLocationId, WireFormat.WireType.LengthDelimited);
                output.WriteLength(locationBytes);
                foreach (var location in locations)
                {
                    output.WriteUInt64((ulong)location);
                }
            }
            output.WriteTag(SampleValue, WireFormat.WireType.LengthDelimited);
            output.WriteLength(valueBytes);
            output.WriteInt64(values.Count);
            output.WriteInt64(values.Cpu);
            WriteLabels(output, process, PprofLabels.Pid, PprofLabels.Process);
            WriteLabels(output, thread, PprofLabels.ThreadId, PprofLabels.Thread);
        }

        private int LabelsSize(Frame? frame, string numberKey, string nameKey)
        {
            var size = 0;
            foreach (var (key, value) in Labels(frame, numberKey, nameKey))
            {
                size += MessageSize(SampleLabel, Int64Size(LabelKey, key) + Int64Size(LabelStr, value));
            }
            return size;
        }

        private void WriteLabels(CodedOutputStream output, Frame? frame, string numberKey, string nameKey)
        {
            foreach (var (key, value) in Labels(frame, numberKey, nameKey))
            {
                output.WriteTag(SampleLabel, WireFormat.WireType.LengthDelimited);
                output.WriteLength(Int64Size(LabelKey, key) + Int64Size(LabelStr, value));
                WriteInt64(output, LabelKey, key);
                WriteInt64(output, LabelStr, value);
            }
        }

        // String labels, all of them: `go tool pprof -tagfocus thread=MainThread` or `-tagfocus pid=123` match strings
        // by regular expression, where numeric labels would need ranges and units. The thread label falls back to
        // the id, so every labelled sample has a thread to focus on; the process label is left out when unknown.
        private (long Key, long Value)[] Labels(Frame? frame, string numberKey, string nameKey)
        {
            if (frame is null)
            {
                return [];
            }
            var number = Str(frame.Number.ToString(CultureInfo.InvariantCulture));
            return frame.Kind == FrameKind.Thread
                ? [(Str(numberKey), number), (Str(nameKey), frame.Name.Length > 0 ? Str(frame.Name) : number)]
                : frame.Name.Length > 0 ? [(Str(numberKey), number), (Str(nameKey), Str(frame.Name))] : [(Str(numberKey), number)];
        }

        private long Str(string text)
        {
            if (!_strings.TryGetValue(text, out var index))
            {
                index = _table.Count;
                _table.Add(text);
                _strings.Add(text, index);
            }
            return index;
        }

        private static void WriteValueType(CodedOutputStream output, int field, long type, long unit)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteLength(Int64Size(ValueTypeType, type) + Int64Size(ValueTypeUnit, unit));
            WriteInt64(output, ValueTypeType, type);
            WriteInt64(output, ValueTypeUnit, unit);
        }

        // proto3 leaves zero scalars out; readers take a missing field as zero.
        private static int Int64Size(int field, long value) =>
            value == 0 ? 0 : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeInt64Size(value);

        private static void WriteInt64(CodedOutputStream output, int field, long value)
        {
            if (value != 0)
            {
                output.WriteTag(field, WireFormat.WireType.Varint);
                output.WriteInt64(value);
            }
        }

        private static int MessageSize(int field, int length) =>
            CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(length) + length;

        private static List<string> Comments(ProfileMetadata metadata)
        {
            var comments = new List<string>();
            if (metadata.Target.Length > 0)
            {
                comments.Add(PprofLabels.TargetComment + metadata.Target);
            }
            foreach (var version in metadata.PythonVersions)
            {
                comments.Add(PprofLabels.PythonComment + version);
            }
            if (metadata.RateHz > 0)
            {
                comments.Add(PprofLabels.RateComment + metadata.RateHz.ToString("R", CultureInfo.InvariantCulture));
            }
            comments.Add(PprofLabels.MissedComment + metadata.MissedSamples.ToString(CultureInfo.InvariantCulture));
            comments.Add(PprofLabels.ErrorsComment + metadata.ErrorSamples.ToString(CultureInfo.InvariantCulture));
            return comments;
        }
    }
}
