using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging.Abstractions;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Injection;
using Pyrometer.Operator.Metrics;
using Pyrometer.Operator.Runtime;
using Pyrometer.Operator.Tests.Fakes;

namespace Pyrometer.Operator.Tests.Controllers;

/// <summary>
/// Upload URLs live as long as the request may still succeed (injection + duration + grace, when the request
/// fails with DeadlineExceeded) plus a small clock-skew allowance, not ten minutes more.
/// </summary>
public sealed class UploadUrlValidityTests
{
    [Fact]
    public async Task Inject_UploadUrls_ExpireAtDurationPlusGracePlusThirtySeconds()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[{"name":"api"}]},"status":{"phase":"Running"}}""");
        server.Seed("profilerequests", "shop", """{"metadata":{"name":"search"},"spec":{"target":{"pod":"api-1"},"duration":"45s","formats":["flamegraph","speedscope"]}}""");
        var api = new KubeApi(new HttpClient { BaseAddress = server.BaseAddress }, TestApi.FastOptions(), KubeJson.CreateOptions(V1Alpha1JsonContext.Default),
            ResourceRegistry.CreateDefault().Register<ProfileRequest>(ProfileRequest.Resource));
        var store = new InMemoryArtifactStore();
        var options = TestObjects.Options();
        var reconciler = new ProfileRequestReconciler(api, store, options, new CapacityLedger(10, 10),
            new EphemeralContainerInjector(api, InjectionMode.Pod), new ManualTimeProvider(), NullLogger<ProfileRequestReconciler>.Instance, new OperatorMetrics());

        await reconciler.ReconcileAsync(new ObjectKey("shop", "search"), CancellationToken.None);   // reserve
        await reconciler.ReconcileAsync(new ObjectKey("shop", "search"), CancellationToken.None);   // inject

        Assert.Equal(
            [TimeSpan.FromSeconds(45) + options.GracePeriod + TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45) + options.GracePeriod + TimeSpan.FromSeconds(30)],
            store.UploadLifetimes);
    }

    [Theory]
    [InlineData("00:05:01", false)]
    [InlineData("-00:00:01", false)]
    [InlineData("00:05:00", true)]
    [InlineData("00:00:00", true)]
    public void Validate_UploadUrlSlack_AtMostFiveMinutes(string slack, bool valid)
    {
        var options = TestObjects.Options();
        options.UploadUrlSlack = TimeSpan.Parse(slack, System.Globalization.CultureInfo.InvariantCulture);

        var results = new List<ValidationResult>();
        var ok = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.Equal(valid, ok);
    }
}
