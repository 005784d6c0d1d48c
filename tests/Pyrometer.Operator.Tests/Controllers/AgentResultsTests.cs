using k8s.Models;
using Pyrometer.Operator.Controllers;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class AgentResultsTests
{
    private static V1Pod Exited(string message, string uid = "uid-1")
    {
        var pod = TestObjects.Pod(uid: uid);
        pod.Status!.EphemeralContainerStatuses =
        [
            new V1ContainerStatus { Name = "agent", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0, Message = message } } },
        ];
        return pod;
    }

    [Fact]
    public void Of_AskedTwice_ParsesOnceAndReturnsTheSameResult()
    {
        var pod = Exited(TestObjects.Json(TestObjects.Result()));
        var results = new AgentResults();
        var terminated = AgentResults.Terminated(pod, "agent")!;

        var first = results.Of(pod, "agent", terminated);
        var second = results.Of(pod, "agent", terminated);

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.Equal(2935, first.Samples);
    }

    [Fact]
    public void Of_UnreadableOrEmptyMessage_IsNull()
    {
        var garbled = Exited("{not json");
        var empty = Exited("", uid: "uid-2");
        var results = new AgentResults();

        Assert.Null(results.Of(garbled, "agent", AgentResults.Terminated(garbled, "agent")!));
        Assert.Null(results.Of(empty, "agent", AgentResults.Terminated(empty, "agent")!));
    }

    [Fact]
    public void Of_TwoPods_KeepsEachOwnResult()
    {
        var one = Exited(TestObjects.Json(TestObjects.Result(samples: 10)), uid: "uid-1");
        var two = Exited(TestObjects.Json(TestObjects.Result(samples: 20)), uid: "uid-2");
        var results = new AgentResults();

        Assert.Equal(10, results.Of(one, "agent", AgentResults.Terminated(one, "agent")!)!.Samples);
        Assert.Equal(20, results.Of(two, "agent", AgentResults.Terminated(two, "agent")!)!.Samples);
    }

    [Fact]
    public void Terminated_RunningOrMissingAgent_IsNull()
    {
        var pod = TestObjects.Pod();
        pod.Status!.EphemeralContainerStatuses = [new V1ContainerStatus { Name = "agent", State = new V1ContainerState { Running = new V1ContainerStateRunning() } }];

        Assert.Null(AgentResults.Terminated(pod, "agent"));
        Assert.Null(AgentResults.Terminated(pod, "other"));
        Assert.Null(AgentResults.Terminated(null, "agent"));
    }
}
