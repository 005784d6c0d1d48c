using System.Text.Json.Serialization;

namespace Pyrometer.Kubectl.Api;

/// <summary>
/// The few ProfileRequest fields the plugin reads, defined here rather than referenced from the operator (which would
/// pull in its whole host). Unknown fields are ignored, so a newer operator's status still reads.
/// </summary>
internal sealed record ProfileRequestView(RequestMetadata? Metadata, RequestSpecView? Spec, RequestStatus? Status);

internal sealed record RequestMetadata(string? Name, string? Namespace, string? Uid, string? ResourceVersion);

internal sealed record RequestSpecView(string? Duration, string? Baseline);

internal sealed record RequestStatus(
    string? Phase,
    string? Reason,
    string? Message,
    DateTimeOffset? StartTime,
    DateTimeOffset? CompletionTime,
    IReadOnlyList<TargetView>? Targets,
    IReadOnlyList<ArtifactView>? Artifacts,
    SummaryView? Summary,
    ComparisonView? Comparison,
    IReadOnlyList<ConditionView>? Conditions);

internal sealed record TargetView(string? Pod, string? Phase, string? Reason, string? Message, long? Samples, string? PythonVersion);

internal sealed record ArtifactView(string? Format, string? Pod, string? Url, long? Bytes, string? Sha256);

internal sealed record SummaryView(long? Samples, long? MissedSamples, IReadOnlyList<TopFunctionView>? TopFunctions, EventLoopBlockedView? EventLoopBlocked);

internal sealed record TopFunctionView(string? Function, string? Location, double? SelfPercent);

internal sealed record EventLoopBlockedView(long? TotalMs, int? Count, long? WorstMs, string? WorstFunction, IReadOnlyList<string>? WorstStack, string? WorstPod);

/// <summary>status.comparison (CONTRACT-16): the functions that grew and shrank against the baseline, in percentage points.</summary>
internal sealed record ComparisonView(
    string? Baseline,
    double? Threshold,
    long? BeforeSamples,
    long? AfterSamples,
    IReadOnlyList<FunctionChangeView>? Grew,
    IReadOnlyList<FunctionChangeView>? Shrank);

internal sealed record FunctionChangeView(
    string? Function,
    string? File,
    double? SelfChange,
    double? TotalChange,
    double? SelfBefore,
    double? SelfAfter,
    double? TotalBefore,
    double? TotalAfter);

internal sealed record ConditionView(string? Type, string? Status, string? Reason, string? Message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(ProfileRequestView))]
[JsonSerializable(typeof(LabelSelectorSpec))]
internal sealed partial class PluginJsonContext : JsonSerializerContext;
