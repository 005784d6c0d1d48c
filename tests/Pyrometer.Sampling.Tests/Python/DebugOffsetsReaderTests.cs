using System.Buffers.Binary;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

public sealed class DebugOffsetsReaderTests
{
    [Fact]
    public void Parse_313Table_TakesOffsetsFromTheTarget()
    {
        var version = Versions.Parse("3.13.0");

        var layout = DebugOffsetsReader.Parse(DebugTables.Table(version), version, out var error);

        Assert.True(layout is not null, error);
        Assert.Equal(632, layout.RuntimeInterpretersHead);
        Assert.Equal(7344, layout.InterpreterThreadsHead);
        Assert.Equal(72, layout.ThreadFrame);
        Assert.Equal(200, layout.CodeAdaptive);
        Assert.Equal(70, layout.FrameOwner);
        Assert.Equal(GilStyle.StatusBit, layout.Gil);
        Assert.Equal(32, layout.ThreadGilField);
        Assert.False(layout.TaggedReferences);
        Assert.Equal(3, layout.MaxOwner);
        Assert.Equal(56, layout.UnicodeCompactData);
        Assert.Equal(-1, layout.InterpreterCodeGeneration);
    }

    [Fact]
    public void Parse_314Table_UsesHoldsGilAfterStatusAndTaggedReferences()
    {
        var version = Versions.Parse("3.14.10");

        var layout = DebugOffsetsReader.Parse(DebugTables.Table(version), version, out var error);

        Assert.True(layout is not null, error);
        Assert.Equal(808, layout.RuntimeInterpretersHead);
        Assert.Equal(GilStyle.HoldsGilField, layout.Gil);
        Assert.Equal(36, layout.ThreadGilField);
        Assert.Equal(7992, layout.InterpreterCodeGeneration);
        Assert.Equal(8, layout.GilLastHolder);
        Assert.Equal(8, layout.GilLockedDelta);
        Assert.Equal(74, layout.FrameOwner);
        Assert.Equal(4, layout.MaxOwner);
        Assert.True(layout.TaggedReferences);
        Assert.Equal(PythonLayout.Absent, layout.FrameTlbcIndex);   // GIL build: no thread-local bytecode
    }

    [Fact]
    public void Parse_315Table_ReadsHoldsGilAndCompactSizeFromTheTable()
    {
        var version = Versions.Parse("3.15.2");

        var layout = DebugOffsetsReader.Parse(DebugTables.Table(version), version, out var error);

        Assert.True(layout is not null, error);
        Assert.Equal(936, layout.RuntimeInterpretersHead);
        Assert.Equal(176, layout.ThreadId);
        Assert.Equal(36, layout.ThreadGilField);
        Assert.Equal(56, layout.UnicodeCompactData);
    }

    [Fact]
    public void Parse_314FreeThreaded_MovesStateBitsAndObjectHeader()
    {
        var version = Versions.Parse("3.14.10t");

        var layout = DebugOffsetsReader.Parse(DebugTables.Table(version), version, out var error);

        Assert.True(layout is not null, error);
        Assert.Equal(24, layout.ObjectType);
        Assert.Equal(8, layout.UnicodeKindShift);
        Assert.Equal(11, layout.UnicodeCompactBit);
        Assert.Equal(12, layout.UnicodeAsciiBit);
        Assert.Equal(80, layout.FrameTlbcIndex);
        Assert.Equal(200, layout.CodeTlbc);
    }

    [Fact]
    public void Parse_313FreeThreaded_KeepsGilBuildStateBits()
    {
        var version = Versions.Parse("3.13.0t");

        var layout = DebugOffsetsReader.Parse(DebugTables.Table(version), version, out var error);

        Assert.True(layout is not null, error);
        Assert.Equal(24, layout.ObjectType);
        Assert.Equal(2, layout.UnicodeKindShift);
    }

    [Fact]
    public void Parse_NoCookie_RefusesWithReason()
    {
        var version = Versions.Parse("3.13.0");
        var table = DebugTables.Table(version);
        table[0] = (byte)'X';

        Assert.Null(DebugOffsetsReader.Parse(table, version, out var error));
        Assert.Contains("xdebugpy", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_VersionDiffersFromDiscovery_RefusesNamingBoth()
    {
        var table = DebugTables.Table(Versions.Parse("3.14.10"));

        Assert.Null(DebugOffsetsReader.Parse(table, Versions.Parse("3.13.0"), out var error));
        Assert.Contains("3.14.10", error, StringComparison.Ordinal);
        Assert.Contains("3.13.0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PreReleaseOfUnknownMinorPassingChecks_IsAccepted()
    {
        var version = Versions.Parse("3.16.0a1");

        var layout = DebugOffsetsReader.Parse(DebugTables.Table(version), version, out var error);

        Assert.True(layout is not null, error);
        Assert.Equal(version, layout.Version);
    }

    [Fact]
    public void Parse_PreReleaseFailingSelfCheck_RefusesNamingVersion()
    {
        var version = Versions.Parse("3.16.0a1");
        var table = DebugTables.Table(version, (p, t) => BinaryPrimitives.WriteInt64LittleEndian(t.AsSpan(p.FrameOwner), 4000));

        Assert.Null(DebugOffsetsReader.Parse(table, version, out var error));
        Assert.Contains("3.16.0a1", error, StringComparison.Ordinal);
        Assert.Contains("not supported", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FinalReleaseOfUnknownMinor_Refuses()
    {
        var version = Versions.Parse("3.16.1");

        Assert.Null(DebugOffsetsReader.Parse(DebugTables.Table(version), version, out var error));
        Assert.Contains("CPython 3.16.1 (free-threaded: no) is not supported", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ObjectSize", 24)]
    [InlineData("ThreadNext", 16)]
    [InlineData("CodeName", 100_000)]
    [InlineData("FrameSize", 4)]
    [InlineData("InterpretersHead", -5)]
    public void Parse_ImplausibleValue_FailsSelfCheck(string field, long value)
    {
        var version = Versions.Parse("3.14.10");
        var table = DebugTables.Table(version, (p, t) =>
        {
            var position = (int)typeof(DebugOffsetsPositions).GetProperty(field)!.GetValue(p)!;
            BinaryPrimitives.WriteInt64LittleEndian(t.AsSpan(position), value);
        });

        Assert.Null(DebugOffsetsReader.Parse(table, version, out var error));
        Assert.Contains("self-check", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RuntimeUnmapped_ReportsAddress()
    {
        var memory = new FakeProcessMemory();

        Assert.Null(DebugOffsetsReader.Read(memory, 0x1234_0000, Versions.Parse("3.13.0"), out var error));
        Assert.Contains("0x12340000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Positions_EveryKnownMinor_FitInsideItsTable()
    {
        foreach (var positions in new[] { DebugOffsetsPositions.V313, DebugOffsetsPositions.V314, DebugOffsetsPositions.V315 })
        {
            Assert.All(DebugTables.PositionsOf(positions), p => Assert.True(p < positions.TableSize && p % 8 == 0 || p == -1));
            Assert.True(positions.TableSize <= DebugOffsetsReader.ReadLength);
        }
    }
}
