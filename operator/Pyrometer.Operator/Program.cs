using Pyrometer.Operator.Crd;
using Pyrometer.Operator.Runtime;

// pyrometer-operator            run the operator (configuration: appsettings, environment, --Section:Key=value)
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

await using var app = OperatorHost.Build(args);
await app.RunAsync();
return Environment.ExitCode;
