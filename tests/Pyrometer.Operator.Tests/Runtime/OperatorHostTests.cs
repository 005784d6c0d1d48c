using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Pyrometer.Kube.Connection;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Runtime;

namespace Pyrometer.Operator.Tests.Runtime;

/// <summary>The whole host as Program.cs runs it, against the fake API server: election, controller, built-in store.</summary>
public sealed class OperatorHostTests
{
    [Fact]
    public async Task Run_AgainstFakeCluster_LeadsInjectsAndReleasesLeaseOnShutdown()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[{"name":"api"}]},"status":{"phase":"Running"}}""");
        var root = Directory.CreateTempSubdirectory("pyrometer-host-");
        try
        {
            string[] args =
            [
                "--Operator:AgentImage=registry.test/agent:1",
                "--LeaderElection:LeaseNamespace=pyrometer",
                "--LeaderElection:Identity=test-replica",
                "--Storage:BuiltIn:RootPath=" + root.FullName,
                "--Storage:BuiltIn:BaseUrl=http://127.0.0.1:8080",
                "--Logging:LogLevel:Default=Warning",
            ];
            await using var app = OperatorHost.Build(args, builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Services.AddSingleton(new KubeConnection { Server = server.BaseAddress });
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address) };

            server.Seed("profilerequests", "shop", """{"metadata":{"name":"search"},"spec":{"target":{"pod":"api-1"}}}""");
            var deadline = DateTime.UtcNow + TestTimeouts.Hang;
            while (server.Stored("pods", "shop", "api-1")!["spec"]!["ephemeralContainers"] is null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
            var ready = await http.GetStringAsync(new Uri("/readyz", UriKind.Relative));
            var lease = server.Stored("leases", "pyrometer", "pyrometer-operator");
            var agent = server.Stored("pods", "shop", "api-1")!["spec"]!["ephemeralContainers"]![0]!;
            await app.StopAsync();
            var released = server.Stored("leases", "pyrometer", "pyrometer-operator");

            Assert.Equal("ok: leader\n", ready);
            Assert.Equal("test-replica", (string?)lease!["spec"]!["holderIdentity"]);
            Assert.Equal("registry.test/agent:1", (string?)agent["image"]);
            // The presigned URL travels in the environment: argv is readable by the target through /proc/PID/cmdline.
            var uploads = agent["env"]!.AsArray().Single(e => (string?)e!["name"] == "PYROMETER_UPLOADS")!;
            Assert.StartsWith("flamegraph=http://127.0.0.1:8080/", (string?)uploads["value"], StringComparison.Ordinal);
            Assert.DoesNotContain(agent["args"]!.AsArray(), a => ((string?)a)!.Contains("http", StringComparison.Ordinal));
            Assert.NotEqual("test-replica", (string?)released!["spec"]!["holderIdentity"]);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Run_TwoPorts_HealthOnTheReadPortOnlyAndUploadsOnTheUploadPortOnly()
    {
        await using var server = await FakeApiServer.StartAsync();
        var root = Directory.CreateTempSubdirectory("pyrometer-host-");
        try
        {
            var uploadPort = FreePort();
            string[] args =
            [
                "--LeaderElection:LeaseNamespace=pyrometer",
                "--Storage:BuiltIn:RootPath=" + root.FullName,
                "--Storage:BuiltIn:UploadPort=" + uploadPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Logging:LogLevel:Default=Warning",
            ];
            await using var app = OperatorHost.Build(args, builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0", $"http://127.0.0.1:{uploadPort}");
                builder.Services.AddSingleton(new KubeConnection { Server = server.BaseAddress });
            });
            await app.StartAsync();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(a => new Uri(a)).OrderBy(a => a.Port == uploadPort).ToList();
            using var http = new HttpClient();

            using var readHealth = await http.GetAsync(new Uri(addresses[0], "/healthz"));
            using var uploadHealth = await http.GetAsync(new Uri(addresses[1], "/healthz"));
            using var readPut = await http.PutAsync(new Uri(addresses[0], "/artifacts/shop/search/merged/flamegraph.svg"), new ByteArrayContent([1]));
            using var uploadPut = await http.PutAsync(new Uri(addresses[1], "/artifacts/shop/search/merged/flamegraph.svg"), new ByteArrayContent([1]));
            await app.StopAsync();

            Assert.Equal(System.Net.HttpStatusCode.OK, readHealth.StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, uploadHealth.StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, readPut.StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, uploadPut.StatusCode);   // reached the store, which wants a signature
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
