using System.Globalization;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

/// <summary>
/// Checks the per-minor positions against hack/layouts/print-debug-offsets.sh output
/// (Assets/python-layouts/debug-offsets.txt: the real headers of 3.13.0, 3.13.18, 3.14.10, 3.15.2).
/// </summary>
public sealed class DebugOffsetsPositionsTests
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["sizeof"] = nameof(DebugOffsetsPositions.TableSize),
        ["runtime_state.size"] = nameof(DebugOffsetsPositions.RuntimeSize),
        ["runtime_state.interpreters_head"] = nameof(DebugOffsetsPositions.InterpretersHead),
        ["interpreter_state.size"] = nameof(DebugOffsetsPositions.InterpreterSize),
        ["interpreter_state.next"] = nameof(DebugOffsetsPositions.InterpreterNext),
        ["interpreter_state.threads_head"] = nameof(DebugOffsetsPositions.ThreadsHead),
        ["interpreter_state.ceval_gil"] = nameof(DebugOffsetsPositions.CevalGil),
        ["interpreter_state.gil_runtime_state"] = nameof(DebugOffsetsPositions.GilRuntimeState),
        ["interpreter_state.gil_runtime_state_locked"] = nameof(DebugOffsetsPositions.GilLocked),
        ["interpreter_state.gil_runtime_state_holder"] = nameof(DebugOffsetsPositions.GilHolder),
        ["interpreter_state.code_object_generation"] = nameof(DebugOffsetsPositions.CodeObjectGeneration),
        ["thread_state.size"] = nameof(DebugOffsetsPositions.ThreadSize),
        ["thread_state.next"] = nameof(DebugOffsetsPositions.ThreadNext),
        ["thread_state.interp"] = nameof(DebugOffsetsPositions.ThreadInterp),
        ["thread_state.current_frame"] = nameof(DebugOffsetsPositions.CurrentFrame),
        ["thread_state.thread_id"] = nameof(DebugOffsetsPositions.ThreadId),
        ["thread_state.native_thread_id"] = nameof(DebugOffsetsPositions.NativeThreadId),
        ["thread_state.datastack_chunk"] = nameof(DebugOffsetsPositions.DataStackChunk),
        ["thread_state.status"] = nameof(DebugOffsetsPositions.Status),
        ["thread_state.holds_gil"] = nameof(DebugOffsetsPositions.HoldsGil),
        ["interpreter_frame.size"] = nameof(DebugOffsetsPositions.FrameSize),
        ["interpreter_frame.previous"] = nameof(DebugOffsetsPositions.FramePrevious),
        ["interpreter_frame.executable"] = nameof(DebugOffsetsPositions.FrameExecutable),
        ["interpreter_frame.instr_ptr"] = nameof(DebugOffsetsPositions.FrameInstrPtr),
        ["interpreter_frame.owner"] = nameof(DebugOffsetsPositions.FrameOwner),
        ["interpreter_frame.tlbc_index"] = nameof(DebugOffsetsPositions.FrameTlbcIndex),
        ["code_object.size"] = nameof(DebugOffsetsPositions.CodeSize),
        ["code_object.filename"] = nameof(DebugOffsetsPositions.CodeFilename),
        ["code_object.name"] = nameof(DebugOffsetsPositions.CodeName),
        ["code_object.qualname"] = nameof(DebugOffsetsPositions.CodeQualname),
        ["code_object.linetable"] = nameof(DebugOffsetsPositions.CodeLineTable),
        ["code_object.firstlineno"] = nameof(DebugOffsetsPositions.CodeFirstLineNo),
        ["code_object.co_code_adaptive"] = nameof(DebugOffsetsPositions.CodeAdaptive),
        ["code_object.co_tlbc"] = nameof(DebugOffsetsPositions.CodeTlbc),
        ["pyobject.size"] = nameof(DebugOffsetsPositions.ObjectSize),
        ["pyobject.ob_type"] = nameof(DebugOffsetsPositions.ObjectType),
        ["bytes_object.size"] = nameof(DebugOffsetsPositions.BytesSize),
        ["bytes_object.ob_size"] = nameof(DebugOffsetsPositions.BytesObSize),
        ["bytes_object.ob_sval"] = nameof(DebugOffsetsPositions.BytesData),
        ["unicode_object.size"] = nameof(DebugOffsetsPositions.UnicodeSize),
        ["unicode_object.state"] = nameof(DebugOffsetsPositions.UnicodeState),
        ["unicode_object.length"] = nameof(DebugOffsetsPositions.UnicodeLength),
        ["unicode_object.asciiobject_size"] = nameof(DebugOffsetsPositions.UnicodeAsciiSize),
        ["unicode_object.compactunicodeobject_size"] = nameof(DebugOffsetsPositions.UnicodeCompactSize),
    };

    public static TheoryData<string> Builds => new() { "3.13.0 pyenv", "3.13.18 debian-sid", "3.14.10 debian-sid", "3.15.2 debian-sid" };

    [Theory]
    [MemberData(nameof(Builds))]
    public void ForMinor_KnownMinor_MatchesRealHeaders(string build)
    {
        var fields = Block(build);
        var version = Versions.Parse(build.Split(' ')[0]);
        var positions = DebugOffsetsPositions.ForMinor(version.Minor)!;
        var checkedFields = 0;
        foreach (var (field, (position, _)) in fields)
        {
            if (!Names.TryGetValue(field, out var property))
            {
                continue;                                      // a field the walker does not use
            }
            var actual = (int)typeof(DebugOffsetsPositions).GetProperty(property)!.GetValue(positions)!;
            Assert.True(actual == position, $"{build} {field}: table position {actual}, header {position}");
            checkedFields++;
        }
        Assert.True(checkedFields >= 35, $"only {checkedFields} fields checked for {build}");
        var absent = Names.Values.Except(fields.Keys.Where(Names.ContainsKey).Select(k => Names[k]), StringComparer.Ordinal);
        Assert.All(absent, p => Assert.Equal(-1, (int)typeof(DebugOffsetsPositions).GetProperty(p)!.GetValue(positions)!));
    }

    [Theory]
    [InlineData("3.14.10 debian-sid")]
    [InlineData("3.15.2 debian-sid")]
    public void SyntheticTables_UseTheValuesRealBuildsFillIn(string build)
    {
        var version = Versions.Parse(build.Split(' ')[0]);
        var table = DebugTables.Table(version);
        var positions = DebugOffsetsPositions.ForMinor(version.Minor)!;
        foreach (var (field, (position, value)) in Block(build))
        {
            if (value is { } expected && Names.ContainsKey(field) && field != "sizeof")
            {
                Assert.True(BitConverter.ToInt64(table, position) == expected, $"{build} {field}: fake {BitConverter.ToInt64(table, position)}, real {expected}");
            }
        }
        Assert.Equal(positions.TableSize, Block(build)["sizeof"].Position);
    }

    private static Dictionary<string, (int Position, long? Value)> Block(string build)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Assets", "python-layouts", "debug-offsets.txt");
        var result = new Dictionary<string, (int, long?)>(StringComparer.Ordinal);
        var inBlock = false;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                inBlock = line[2..] == build;
                continue;
            }
            var parts = line.Split(' ');
            if (inBlock && parts.Length >= 2)
            {
                long? value = parts.Length > 2 && parts[2] != "-" ? long.Parse(parts[2], CultureInfo.InvariantCulture) : null;
                result[parts[0]] = (int.Parse(parts[1], CultureInfo.InvariantCulture), value);
            }
        }
        Assert.True(result.Count > 0, $"{path} has no block '{build}'");
        return result;
    }
}
