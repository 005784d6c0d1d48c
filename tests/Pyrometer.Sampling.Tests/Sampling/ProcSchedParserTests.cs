using System.Text;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class ProcSchedParserTests
{
    private const string Status =
        "Name:\tpython3\nUmask:\t0022\nState:\tR (running)\nTgid:\t4242\nNgid:\t0\nPid:\t4243\nPPid:\t1\n" +
        "NStgid:\t4242\t1\nNSpid:\t4243\t7\nNSpgid:\t4242\t1\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t30\n";

    [Fact]
    public void TryParseSchedstat_ThreeNumbers_ReadsCpuTimeAndRunQueueWait()
    {
        Assert.True(ProcSchedParser.TryParseSchedstat("3130745 14121516 43\n"u8, out var runtime, out var waited));
        Assert.Equal(3130745UL, runtime);
        Assert.Equal(14121516UL, waited);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12 34")]
    [InlineData("12 x 5")]
    public void TryParseSchedstat_Truncated_IsFalse(string text) =>
        Assert.False(ProcSchedParser.TryParseSchedstat(Encoding.ASCII.GetBytes(text), out _, out _));

    [Fact]
    public void TryParseNsPid_NestedNamespace_GivesOursAndItsOwn()
    {
        Assert.True(ProcSchedParser.TryParseNsPid(Encoding.ASCII.GetBytes(Status), out var outer, out var inner));
        Assert.Equal(4243, outer);
        Assert.Equal(7, inner);
    }

    [Fact]
    public void TryParseNsPid_ThreeLevels_LastIsInnermost()
    {
        Assert.True(ProcSchedParser.TryParseNsPid("Pid:\t900\nNSpid:\t900\t55\t3\nNSpgid:\t1\n"u8, out var outer, out var inner));
        Assert.Equal((900, 3), (outer, inner));
    }

    [Fact]
    public void TryParseNsPid_SameNamespace_BothEqual()
    {
        Assert.True(ProcSchedParser.TryParseNsPid("Pid:\t900\nNSpid:\t900\n"u8, out var outer, out var inner));
        Assert.Equal(outer, inner);
    }

    [Theory]
    [InlineData("Pid:\t900\n")]                  // kernels before 4.1 have no NSpid
    [InlineData("Pid:\t9\nNSpid:\t0\t1\n")]
    [InlineData("Pid:\t9\nNSpid:\t99999999999\n")]
    public void TryParseNsPid_MissingOrAbsurd_IsFalse(string text) =>
        Assert.False(ProcSchedParser.TryParseNsPid(Encoding.ASCII.GetBytes(text), out _, out _));
}
