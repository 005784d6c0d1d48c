using System.Globalization;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Tests.Python;

/// <summary>Checks the compiled-in tables against hack/layouts/print-layouts.sh output (Assets/python-layouts/offsets.txt).</summary>
public sealed class KnownLayoutsTests
{
    public static TheoryData<string> Versions38To312 => new() { "3.8.18", "3.9.18", "3.10.13", "3.11.7", "3.12.1" };

    [Theory]
    [MemberData(nameof(Versions38To312))]
    public void For_GilBuild_MatchesCompiledHeaders(string versionText)
    {
        var compiled = Compiled(versionText);
        var layout = KnownLayouts.For(Versions.Parse(versionText), out var error);
        Assert.True(layout is not null, error);

        var expectations = new Dictionary<string, int>
        {
            ["runtime.interpreters_head"] = layout.RuntimeInterpretersHead,
            ["interp.next"] = layout.InterpreterNext,
            ["interp.threads_head"] = layout.InterpreterThreadsHead,
            ["tstate.next"] = layout.ThreadNext,
            ["tstate.interp"] = layout.ThreadInterp,
            ["tstate.thread_id"] = layout.ThreadId,
            ["code.firstlineno"] = layout.CodeFirstLineNo,
            ["code.filename"] = layout.CodeFilename,
            ["code.name"] = layout.CodeName,
            ["code.linetable"] = layout.CodeLineTable,
            ["code.size"] = layout.CodeSize,
            ["frame.size"] = layout.FrameSize,
            ["frame.code"] = layout.FrameCode,
            ["object.type"] = layout.ObjectType,
            ["varobject.size"] = layout.VarObjectSize,
            ["bytes.size"] = layout.BytesSize,
            ["bytes.data"] = layout.BytesData,
            ["unicode.length"] = layout.UnicodeLength,
            ["unicode.state"] = layout.UnicodeState,
            ["unicode.ascii_size"] = layout.UnicodeAsciiData,
            ["unicode.compact_size"] = layout.UnicodeCompactData,
        };
        if (layout.Frames == FrameStyle.FrameObject)
        {
            expectations["tstate.frame"] = layout.ThreadFrame;
            expectations["frame.back"] = layout.FramePrevious;
            expectations["frame.lasti"] = layout.FrameInstruction;
            expectations["code.code"] = layout.CodeBytecode;
        }
        else
        {
            expectations["tstate.cframe"] = layout.ThreadFrame;
            expectations["cframe.current_frame"] = layout.CFrameCurrentFrame;
            expectations["tstate.native_thread_id"] = layout.ThreadNativeId;
            expectations["tstate.datastack_chunk"] = layout.ThreadDataStackChunk;
            expectations["frame.previous"] = layout.FramePrevious;
            expectations["frame.instr"] = layout.FrameInstruction;
            expectations["frame.owner"] = layout.FrameOwner;
            expectations["code.qualname"] = layout.CodeQualname;
            expectations["code.code_adaptive"] = layout.CodeAdaptive;
        }
        if (layout.Gil == GilStyle.RuntimeGil)
        {
            expectations["runtime.gil_last_holder"] = layout.RuntimeGilLastHolder;
            expectations["runtime.gil_locked"] = layout.RuntimeGilLastHolder + layout.GilLockedDelta;
        }
        else
        {
            expectations["interp.ceval_gil"] = layout.InterpreterGilPointer;
            expectations["gil.last_holder"] = layout.GilLastHolder;
            expectations["gil.locked"] = layout.GilLastHolder + layout.GilLockedDelta;
        }

        foreach (var (field, value) in expectations)
        {
            Assert.True(compiled.TryGetValue(field, out var expected), $"{field} missing from the {versionText} headers' output");
            Assert.True(expected == value, $"{versionText} {field}: table {value}, headers {expected}");
        }
    }

    [Theory]
    [InlineData("3.7.16")]
    [InlineData("3.13.0")]
    [InlineData("2.7.18")]
    public void For_OutsideRange_RefusesNamingVersion(string versionText)
    {
        Assert.Null(KnownLayouts.For(Versions.Parse(versionText), out var error));
        Assert.Contains(versionText, error, StringComparison.Ordinal);
    }

    [Fact]
    public void For_FreeThreaded312_Refuses()
    {
        Assert.Null(KnownLayouts.For(Versions.Parse("3.12.1t"), out var error));
        Assert.Contains("free-threaded", error, StringComparison.Ordinal);
    }

    private static Dictionary<string, int> Compiled(string version)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Assets", "python-layouts", "offsets.txt");
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var inBlock = false;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                inBlock = line[2..] == version;
                continue;
            }
            var parts = line.Split(' ');
            if (inBlock && parts.Length == 2 && parts[0] != "version")
            {
                result[parts[0]] = int.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }
        Assert.True(result.Count > 0, $"{path} has no block for {version}");
        return result;
    }
}
