using k8s.Models;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Comparison;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Comparison;

public sealed class BaselineSelectorTests
{
    private static readonly WorkloadOwner Demo = new() { Kind = "Deployment", Name = "demo" };

    /// <summary>A finished request of pod <paramref name="pod"/> (owned by <paramref name="owner"/>), completed at Created + minutes.</summary>
    private static ProfileRequest Finished(
        string name, string pod, int minutes, WorkloadOwner? owner = null, string phase = ProfilePhases.Succeeded, string ns = "shop", string mode = ProfileModes.Cpu)
    {
        var request = Request(name, ns, pod, s => s.Mode = mode);
        request.Metadata.Uid = "uid-" + name;
        request.Metadata.CreationTimestamp = Created.AddMinutes(minutes - 1).UtcDateTime;
        request.Status = new ProfileRequestStatus
        {
            Phase = phase,
            CompletionTime = Created.AddMinutes(minutes),
            Targets = [new TargetStatus { Pod = pod, Container = "api", Owner = owner, Phase = phase }],
        };
        return request;
    }

    private static (ProfileRequest Request, List<TargetStatus> Targets) Current(string pod, WorkloadOwner? owner = null, string mode = ProfileModes.Cpu)
    {
        var request = Request("now", pod: pod, configure: s => { s.Baseline = ProfileRequestSpec.LatestBaseline; s.Mode = mode; });
        request.Metadata.Uid = "uid-now";
        return (request, [new TargetStatus { Pod = pod, Container = "api", Owner = owner }]);
    }

    [Fact]
    public void PickLatest_SamePod_TakesTheLastToComplete()
    {
        var (request, targets) = Current("api-1");
        ProfileRequest[] candidates = [Finished("first", "api-1", 1), Finished("third", "api-1", 30), Finished("second", "api-1", 20)];

        Assert.Equal("third", BaselineSelector.PickLatest(request, targets, candidates)?.Metadata.Name);
    }

    [Fact]
    public void PickLatest_OrdersByCompletionNotCreation()
    {
        var (request, targets) = Current("api-1");
        var longRun = Finished("long-run", "api-1", 40);
        longRun.Metadata.CreationTimestamp = Created.UtcDateTime;   // created first, finished last
        var shortRun = Finished("short-run", "api-1", 10);
        shortRun.Metadata.CreationTimestamp = Created.AddMinutes(5).UtcDateTime;

        Assert.Equal("long-run", BaselineSelector.PickLatest(request, targets, [shortRun, longRun])?.Metadata.Name);
    }

    [Fact]
    public void PickLatest_AfterARollout_MatchesTheDeploymentThatOwnedTheOldPod()
    {
        var (request, targets) = Current("demo-7c9f-new", Demo);
        ProfileRequest[] candidates =
        [
            Finished("before-rollout", "demo-5b8d-old", 10, Demo),
            Finished("other-workload", "web-1", 20, new WorkloadOwner { Kind = "Deployment", Name = "web" }),
            Finished("same-name-other-kind", "x-1", 30, new WorkloadOwner { Kind = "StatefulSet", Name = "demo" }),
        ];

        Assert.Equal("before-rollout", BaselineSelector.PickLatest(request, targets, candidates)?.Metadata.Name);
    }

    [Fact]
    public void PickLatest_NeverItself_EvenWhenItLooksSucceeded()
    {
        var (request, targets) = Current("api-1");
        var self = Finished("now", "api-1", 50);
        self.Metadata.Uid = "uid-now";
        var renamedCopy = Finished("copy", "api-1", 60);
        renamedCopy.Metadata.Uid = "uid-now";   // the same object under another name is still itself

        Assert.Equal("older", BaselineSelector.PickLatest(request, targets, [self, renamedCopy, Finished("older", "api-1", 5)])?.Metadata.Name);
    }

    [Fact]
    public void PickLatest_IgnoresOtherNamespacesFailedRunsAndOtherModes()
    {
        var (request, targets) = Current("api-1");
        ProfileRequest[] candidates =
        [
            Finished("elsewhere", "api-1", 50, ns: "staging"),
            Finished("failed", "api-1", 40, phase: ProfilePhases.Failed),
            Finished("running", "api-1", 45, phase: ProfilePhases.Running),
            Finished("wall", "api-1", 30, mode: ProfileModes.Wall),
            Finished("other-pod", "api-2", 35),
        ];

        Assert.Null(BaselineSelector.PickLatest(request, targets, candidates));
        Assert.Equal("kept", BaselineSelector.PickLatest(request, targets, [.. candidates, Finished("kept", "api-1", 1)])?.Metadata.Name);
    }

    [Fact]
    public void PickLatest_OtherContainerOfTheSamePod_DoesNotMatch()
    {
        var (request, targets) = Current("api-1");
        var sidecar = Finished("sidecar", "api-1", 10);
        sidecar.Status!.Targets![0].Container = "sidecar";

        Assert.Null(BaselineSelector.PickLatest(request, targets, [sidecar]));
    }

    [Fact]
    public void SameTarget_SameSelectorInAnotherOrder_Matches()
    {
        var request = Request("now", pod: null, configure: s => s.Target = new ProfileTarget
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api", ["tier"] = "web" } },
        });
        var other = Finished("then", "api-9", 1);
        other.Spec.Target = new ProfileTarget { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "web", ["app"] = "api" } } };
        var different = Finished("else", "api-8", 2);
        different.Spec.Target = new ProfileTarget { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } } };
        List<TargetStatus> targets = [new() { Pod = "api-3", Container = "api" }];

        Assert.True(BaselineSelector.SameTarget(request, targets, other));
        Assert.False(BaselineSelector.SameTarget(request, targets, different));
    }

    [Fact]
    public void Describe_NamesWhatLatestLookedFor()
    {
        var (request, targets) = Current("demo-7c9f-new", Demo);

        Assert.Equal("pod demo-7c9f-new or Deployment/demo, container api, mode cpu", BaselineSelector.Describe(request, targets));
    }
}
