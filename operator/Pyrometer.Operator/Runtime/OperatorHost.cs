using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pyrometer.Operator.Health;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Runtime;

/// <summary>
/// Builds the operator's web host: controller service, storage, health and artifact endpoints. Two ports:
/// the read port (ASPNETCORE_HTTP_PORTS, 8080: health, signed download links, the viewer when enabled) and
/// the upload port (Storage:BuiltIn:UploadPort, 8081: agent uploads only).
/// </summary>
internal static class OperatorHost
{
    /// <summary>Graceful shutdown: time for the reconcile in flight to finish and the lease to be released.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    /// <param name="args">Command-line configuration (e.g. <c>--Operator:AgentImage=…</c>).</param>
    /// <param name="configure">Tests replace services here (a KubeConnection to a fake server, a listen address).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.AddSimpleConsoleWithScopes();
        builder.Services.AddPyrometerOperator(builder.Configuration);
        builder.Services.AddArtifactStorage(builder.Configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        configure?.Invoke(builder);

        var app = builder.Build();
        // First: requests on the upload port never reach the read routes (health, links, viewer).
        app.UseArtifactUploadPort();
        app.Lifetime.ApplicationStarted.Register(() => app.WarnWhenUploadPortIsClosed(app.Urls));
        app.MapOperatorHealth();
        app.MapArtifactStore();
        return app;
    }
}
