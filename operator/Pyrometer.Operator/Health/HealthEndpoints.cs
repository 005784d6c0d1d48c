using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pyrometer.Operator.Health;

/// <summary><c>/healthz</c>: the process serves requests. <c>/readyz</c>: start-up checks passed (leader or standby).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapOperatorHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapGet("/readyz", (OperatorState state) => state.Ready
            ? Results.Text(state.Leading ? "ok: leader\n" : "ok: standby\n")
            : Results.Text("starting\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}
