using System.Text.Json;
using System.Text.Json.Nodes;
using Pyrometer.Kubectl.Api;
using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Record;

/// <summary>The ProfileRequest to create (pure): only the fields the user set, so the CRD's defaults apply to the rest.</summary>
internal static class RequestBodyBuilder
{
    public const string Group = "pyrometer.dev";
    public const string Version = "v1alpha1";
    public const string Plural = "profilerequests";
    public const string Kind = "ProfileRequest";

    public static JsonObject Build(string name, string ns, RecordSettings settings, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(target);
        var targetNode = new JsonObject();
        if (target.Pod is not null)
        {
            targetNode["pod"] = target.Pod;
        }
        else
        {
            targetNode["selector"] = JsonSerializer.SerializeToNode(target.Selector!, PluginJsonContext.Default.LabelSelectorSpec);
            if (settings.MaxPods is int maxPods)
            {
                targetNode["maxPods"] = maxPods;
            }
        }
        if (settings.Container is not null)
        {
            targetNode["container"] = settings.Container;
        }
        var spec = new JsonObject
        {
            ["target"] = targetNode,
            ["duration"] = settings.DurationText,
            ["mode"] = settings.Mode,
            ["formats"] = new JsonArray([.. settings.Formats.Select(f => (JsonNode)JsonValue.Create(f))]),
        };
        if (settings.Rate is int rate)
        {
            spec["rate"] = rate;
        }
        if (settings.Baseline is not null)
        {
            spec["baseline"] = settings.Baseline;
            if (settings.Threshold is double threshold)
            {
                spec["regressionThreshold"] = threshold;
            }
        }
        return new JsonObject
        {
            ["apiVersion"] = Group + "/" + Version,
            ["kind"] = Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["app.kubernetes.io/created-by"] = "kubectl-pyrometer" },
            },
            ["spec"] = spec,
        };
    }
}
