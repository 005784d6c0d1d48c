using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Pyrometer.Operator.Health;

namespace Pyrometer.Operator.Tests.Health;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Readyz_BeforeAndAfterStartup_ReportsState()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var state = new OperatorState();
        builder.Services.AddSingleton(state);
        await using var app = builder.Build();
        app.MapOperatorHealth();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var starting = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var alive = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        state.Ready = true;
        var standby = await http.GetStringAsync(new Uri("/readyz", UriKind.Relative));
        state.Leading = true;
        var leader = await http.GetStringAsync(new Uri("/readyz", UriKind.Relative));
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("ok: standby\n", standby);
        Assert.Equal("ok: leader\n", leader);
    }
}
