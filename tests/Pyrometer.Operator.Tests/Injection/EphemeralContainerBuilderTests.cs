using Pyrometer.Operator.Injection;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Injection;

public sealed class EphemeralContainerBuilderTests
{
    private static readonly AgentLaunch Launch = new(["record"], "flamegraph=https://store.test/up/a.svg?sig=1");

    [Fact]
    public void Build_PodMode_AddsOnlyPtraceAsRoot()
    {
        var container = EphemeralContainerBuilder.Build("pyrometer-3f9c2a", "api", Launch, Options(), InjectionMode.Pod);

        Assert.Equal(("pyrometer-3f9c2a", "api", "registry.test/pyrometer/agent:0.1.0", "/dev/termination-log"),
            (container.Name, container.TargetContainerName, container.Image, container.TerminationMessagePath));
        Assert.Equal(["SYS_PTRACE"], container.SecurityContext!.Capabilities!.Add!);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop!);
        Assert.Equal(0, container.SecurityContext.RunAsUser);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Null(container.SecurityContext.Privileged);
    }

    [Fact]
    public void Build_ConfiguredUser_RunsAsIt()
    {
        var options = Options();
        options.AgentRunAsUser = 1000;

        var container = EphemeralContainerBuilder.Build("pyrometer-3f9c2a", "api", Launch, options, InjectionMode.Pod);

        Assert.Equal(1000, container.SecurityContext!.RunAsUser);
        Assert.True(container.SecurityContext.RunAsNonRoot);
    }

    [Fact]
    public void Build_LegacyMode_OmitsSecurityContext()
    {
        var container = EphemeralContainerBuilder.Build("pyrometer-3f9c2a", "api", Launch, Options(), InjectionMode.Legacy);

        Assert.Null(container.SecurityContext);
    }
}
