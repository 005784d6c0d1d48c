using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pyrometer.Operator.Crd;
using Pyrometer.Operator.Health;
using Pyrometer.Operator.Metrics;
using Pyrometer.Operator.Runtime;
using Pyrometer.Operator.Storage;

// pyrometer-operator           run the operator
// pyrometer-operator crd [-o F] print the ProfileRequest CRD, or write it to F
if (args is ["crd", .. var rest])
{
    return CrdCommand.Run(rest, Console.Out, Console.Error);
}
if (args is [var unknown, ..] && !unknown.StartsWith('-'))
{
    await Console.Error.WriteLineAsync($"pyrometer-operator: unknown command '{unknown}' (commands: crd; no command runs the operator)");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.AddSimpleConsoleWithScopes();
builder.Services.AddPyrometerOperator(builder.Configuration);
builder.Services.AddArtifactStorage(builder.Configuration);
builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

var app = builder.Build();
using var telemetry = app.Services.GetRequiredService<TelemetrySetup>();
app.MapOperatorHealth();
app.MapArtifactStore();
await app.RunAsync();
return Environment.ExitCode;
