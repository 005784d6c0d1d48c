using System.Text;
using System.Text.Json.Nodes;

namespace Pyrometer.Kube.Api;

/// <summary>A patch document and its format.</summary>
public sealed class KubePatch
{
    private KubePatch(KubePatchType type, string contentType, byte[] body)
    {
        Type = type;
        Content = new KubeContent(contentType, body);
    }

    /// <summary>The patch format.</summary>
    public KubePatchType Type { get; }

    /// <summary>The body and its content type.</summary>
    public KubeContent Content { get; }

    /// <summary>A JSON merge patch. Include <c>metadata.resourceVersion</c> to make it conditional.</summary>
    /// <param name="json">A JSON object.</param>
    /// <exception cref="ArgumentException">The text is not a JSON object.</exception>
    public static KubePatch Merge(string json) =>
        new(KubePatchType.Merge, "application/merge-patch+json", KubeContent.Validate(json, expectArray: false));

    /// <summary>A JSON merge patch built as a node tree.</summary>
    /// <param name="patch">The patch object.</param>
    public static KubePatch Merge(JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new(KubePatchType.Merge, "application/merge-patch+json", Encoding.UTF8.GetBytes(patch.ToJsonString()));
    }

    /// <summary>A strategic merge patch (built-in kinds only; custom resources reject it).</summary>
    /// <param name="json">A JSON object.</param>
    /// <exception cref="ArgumentException">The text is not a JSON object.</exception>
    public static KubePatch StrategicMerge(string json) =>
        new(KubePatchType.StrategicMerge, "application/strategic-merge-patch+json", KubeContent.Validate(json, expectArray: false));

    /// <summary>An RFC 6902 JSON patch.</summary>
    /// <param name="json">A JSON array of operations.</param>
    /// <exception cref="ArgumentException">The text is not a JSON array.</exception>
    public static KubePatch Json(string json) =>
        new(KubePatchType.JsonPatch, "application/json-patch+json", KubeContent.Validate(json, expectArray: true));

    /// <summary>The patch text, for logs and tests.</summary>
    public override string ToString() => Encoding.UTF8.GetString(Content.Body.Span);
}
