using Pyrometer.Kube.Api;

namespace Pyrometer.Kube.Testing;

/// <summary>Builds a <see cref="KubeApi"/> pointed at a fake server.</summary>
internal static class TestApi
{
    /// <summary>Options that retry quickly and never throttle, unless a test says otherwise.</summary>
    public static KubeApiOptions FastOptions(int maxRetries = 3) => new()
    {
        Qps = 10_000,
        Burst = 10_000,
        MaxRetries = maxRetries,
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
    };

    public static KubeApi Create(FakeApiServer server, KubeApiOptions? options = null, TimeProvider? time = null) =>
        new(new HttpClient { BaseAddress = server.BaseAddress }, options ?? FastOptions(), time: time);
}
