using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Target;

public sealed class AccessDiagnosticsTests
{
    [Fact]
    public void Describe_YamaAbsent_NamesUidsCapabilityAndRemedies()
    {
        var message = AccessDiagnostics.Describe(4242, targetUid: 1000, ownUid: 0, hasCapSysPtrace: false, yamaScope: null);

        Assert.Contains("process 4242", message, StringComparison.Ordinal);
        Assert.Contains("target uid 1000", message, StringComparison.Ordinal);
        Assert.Contains("profiler uid 0", message, StringComparison.Ordinal);
        Assert.Contains("profiler lacks CAP_SYS_PTRACE", message, StringComparison.Ordinal);
        Assert.Contains("Yama is not active", message, StringComparison.Ordinal);
        Assert.Contains("securityContext.capabilities.add: [SYS_PTRACE]", message, StringComparison.Ordinal);
        Assert.Contains("--cap-add SYS_PTRACE", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_YamaScopeOne_ShowsValueAndMeaning()
    {
        var message = AccessDiagnostics.Describe(7, 0, 0, hasCapSysPtrace: null, yamaScope: 1);

        Assert.Contains("kernel.yama.ptrace_scope = 1 (only descendants, unless CAP_SYS_PTRACE)", message, StringComparison.Ordinal);
        Assert.Contains("and Yama allows it", message, StringComparison.Ordinal);
        Assert.DoesNotContain("lacks", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_YamaScopeThree_SaysNothingHelpsUntilReboot()
    {
        var message = AccessDiagnostics.Describe(7, null, 0, true, 3);

        Assert.Contains("target uid unknown", message, StringComparison.Ordinal);
        Assert.Contains("until the node reboots", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_SameUserWithCapability_NamesTheRemainingCauses()
    {
        var message = AccessDiagnostics.Describe(1, targetUid: 0, ownUid: 0, hasCapSysPtrace: true, yamaScope: null);

        Assert.Contains("The profiler holds CAP_SYS_PTRACE, so something else refused", message, StringComparison.Ordinal);
        Assert.Contains("non-dumpable", message, StringComparison.Ordinal);
        Assert.Contains("user namespace", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_DifferentUserWithoutCapability_DoesNotBlameOtherCauses()
    {
        var message = AccessDiagnostics.Describe(1, targetUid: 1000, ownUid: 0, hasCapSysPtrace: false, yamaScope: 0);

        Assert.DoesNotContain("something else refused", message, StringComparison.Ordinal);
        Assert.Contains("kernel.yama.ptrace_scope = 0 (classic rules)", message, StringComparison.Ordinal);
    }
}
