using Microsoft.Extensions.Logging;

namespace Pyrometer.Operator.Runtime;

/// <summary>Console logs with scopes, so every reconcile line carries the request's namespace, name, uid and reconcile ID.</summary>
internal static class LoggingBuilderExtensions
{
    public static ILoggingBuilder AddSimpleConsoleWithScopes(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        return logging;
    }
}
