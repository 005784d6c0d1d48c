using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Session;

namespace Pyrometer.Agent.Tests.Session;

public sealed class TargetResolverTests
{
    [Fact]
    public void NoPython_OtherProcessesVisible_IsNotPython_NamingThem()
    {
        var (code, message) = TargetResolver.NoPython([(7, "nginx: worker process"), (1, "sleep 86400")]);

        Assert.Equal(ErrorCodes.NotPython, code);
        Assert.Equal("--pid auto found no Python process in this PID namespace, only PID 1 (sleep 86400), PID 7 (nginx: worker process)", message);
    }

    [Fact]
    public void NoPython_ManyOthers_NamesThreeAndCountsTheRest()
    {
        var others = Enumerable.Range(1, 5).Select(pid => (pid, new string('x', 80))).ToList();

        var (_, message) = TargetResolver.NoPython(others);

        Assert.EndsWith($"PID 3 ({new string('x', 57)}...) and 2 more", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoPython_NothingButTheAgent_IsProcessNotFound_WithTheNamespaceHint()
    {
        var (code, message) = TargetResolver.NoPython([]);

        Assert.Equal(ErrorCodes.ProcessNotFound, code);
        Assert.Contains("sharing the target's PID namespace", message, StringComparison.Ordinal);
    }
}
