using System.Text.Json;
using k8s.Models;
using Pyrometer.Agent.Contracts;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Tests;

/// <summary>Requests, pods and agent results for tests.</summary>
internal static class TestObjects
{
    public static readonly DateTimeOffset Created = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    public static ProfileRequest Request(string name = "search", string ns = "shop", string? pod = "api-1", Action<ProfileRequestSpec>? configure = null)
    {
        var request = new ProfileRequest
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Uid = "3f9c2a11-0000-4000-8000-000000000001",
                Generation = 1,
                ResourceVersion = "1",
                CreationTimestamp = Created.UtcDateTime,
            },
            Spec = new ProfileRequestSpec { Target = new ProfileTarget { Pod = pod } },
        };
        configure?.Invoke(request.Spec);
        return request;
    }

    public static V1Pod Pod(string name = "api-1", string ns = "shop", string phase = "Running", Dictionary<string, string>? labels = null, string uid = "pod-uid-1")
        => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = uid, Labels = labels },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "api" }, new V1Container { Name = "sidecar" }], NodeName = "worker-2" },
            Status = new V1PodStatus { Phase = phase },
        };

    public static OperatorOptions Options() => new()
    {
        AgentImage = "registry.test/pyrometer/agent:0.1.0",
        GracePeriod = TimeSpan.FromMinutes(2),
        PodWaitTimeout = TimeSpan.FromMinutes(5),
        PollInterval = TimeSpan.FromSeconds(10),
    };

    public static AgentResult Result(long samples = 2935, string status = ResultStatus.Ok, AgentError? error = null, params ResultArtifact[] artifacts) => new()
    {
        Status = status,
        Error = error,
        StartedAt = Created,
        DurationSeconds = 30,
        Rate = 100,
        Samples = samples,
        MissedSamples = 4,
        Processes = [new ResultProcess(7, "gunicorn: worker [app:app]", "3.12.7", samples)],
        Top = [new ResultFunction("compute_similarity", "app.py", 57, 41.2), new ResultFunction("load", "db.py", 10, 12.5)],
        Artifacts = artifacts,
    };

    public static string Json(AgentResult result) => System.Text.Encoding.UTF8.GetString(AgentResultWriter.ToUtf8(result));

    public static T Copy<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, info), info)!;
}
