using k8s.Models;
using Pyrometer.Kubectl.Debug;

namespace Pyrometer.Kubectl.Tests.Debug;

public sealed class ContainerStatesTests
{
    [Fact]
    public void Of_NoStatusYet_IsWaiting()
    {
        Assert.Equal(ContainerStage.Waiting, ContainerStates.Of(Pod(null), "c").Stage);
    }

    [Fact]
    public void Of_Running_IsRunning()
    {
        Assert.Equal(ContainerStage.Running, ContainerStates.Of(Pod(new V1ContainerState { Running = new V1ContainerStateRunning() }), "c").Stage);
    }

    [Fact]
    public void Of_Terminated_CarriesTheExitCode()
    {
        var state = ContainerStates.Of(Pod(new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 3, Message = "no Python" } }), "c");

        Assert.Equal(new ContainerState(ContainerStage.Terminated, 3, "no Python"), state);
    }

    [Fact]
    public void Of_ImageNeverPulled_IsStuckWithTheReason()
    {
        var state = ContainerStates.Of(Pod(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ErrImageNeverPull", Message = "image not present" } }), "c");

        Assert.Equal(ContainerStage.Stuck, state.Stage);
        Assert.Equal("ErrImageNeverPull: image not present", state.Problem);
    }

    [Fact]
    public void Of_ContainerCreating_KeepsWaiting()
    {
        Assert.Equal(ContainerStage.Waiting, ContainerStates.Of(Pod(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } }), "c").Stage);
    }

    private static V1Pod Pod(V1ContainerState? state) => new()
    {
        Status = new V1PodStatus
        {
            Phase = "Running",
            EphemeralContainerStatuses = state is null ? null : [new V1ContainerStatus { Name = "c", State = state, Image = "i", ImageID = "", Ready = false, RestartCount = 0 }],
        },
    };
}
