using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Target;

public sealed class ProcessStatTests
{
    // Fields 3..52 after the comm; ppid 77, starttime (field 22) 123456.
    private const string Tail = "S 77 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 10000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";

    [Fact]
    public void Parse_CommWithParenthesesAndSpaces_UsesLastParenthesis()
    {
        var stat = ProcessStat.Parse("42 (a) b (c) " + Tail + "\n");

        Assert.Equal(42, stat.ProcessId);
        Assert.Equal("a) b (c", stat.Command);
        Assert.Equal('S', stat.State);
        Assert.Equal(77, stat.ParentProcessId);
        Assert.Equal(123456UL, stat.StartTime);
        Assert.Equal(new ProcessKey(42, 123456), stat.Key);
    }

    [Fact]
    public void Parse_RunningState_IsRunning()
    {
        var stat = ProcessStat.Parse("7 (python3) R" + Tail[1..]);

        Assert.True(stat.IsRunning);
        Assert.Equal("python3", stat.Command);
    }

    [Theory]
    [InlineData("", "no '(comm)' field")]
    [InlineData("42 python S 1", "no '(comm)' field")]
    [InlineData("x (python) S 1 2 3", "the pid is not a number")]
    [InlineData("42 (python) S 1 2 3", "fewer than 22 fields")]
    public void Parse_Malformed_ThrowsWithReason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ProcessStat.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonNumericParent_ThrowsWithReason()
    {
        var error = Assert.Throws<FormatException>(() => ProcessStat.Parse("42 (p) S x" + Tail[4..]));

        Assert.Contains("parent pid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OwnProcessStat_MatchesEnvironment()
    {
        var stat = ProcessStat.Parse(File.ReadAllText($"/proc/{Environment.ProcessId}/stat"));

        Assert.Equal(Environment.ProcessId, stat.ProcessId);
        Assert.True(stat.StartTime > 0);
    }
}
