using System.Text;
using System.Text.Json;

namespace Pyrometer.Kube.Api;

/// <summary>A request body with its content type, for raw subresource calls.</summary>
public sealed class KubeContent
{
    internal KubeContent(string contentType, byte[] body)
    {
        ContentType = contentType;
        Body = body;
    }

    /// <summary>The media type sent as <c>Content-Type</c>.</summary>
    public string ContentType { get; }

    /// <summary>The UTF-8 body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>A plain JSON body (<c>application/json</c>), e.g. for PUT.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="ArgumentException">The text is not JSON.</exception>
    public static KubeContent Json(string json) => new("application/json", Validate(json, expectArray: null));

    /// <summary>A plain JSON body serialized from a value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="options">The serializer options of the client the body is sent with.</param>
    public static KubeContent Json<T>(T value, JsonSerializerOptions options) =>
        new("application/json", JsonSerializer.SerializeToUtf8Bytes(value, options));

    internal static byte[] Validate(string json, bool? expectArray)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonValueKind kind;
        try
        {
            using var document = JsonDocument.Parse(json);
            kind = document.RootElement.ValueKind;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The body is not valid JSON: {e.Message}", nameof(json), e);
        }
        if (expectArray == true && kind != JsonValueKind.Array)
        {
            throw new ArgumentException("A JSON patch must be an array of operations.", nameof(json));
        }
        if (expectArray == false && kind != JsonValueKind.Object)
        {
            throw new ArgumentException("A merge patch must be a JSON object.", nameof(json));
        }
        return Encoding.UTF8.GetBytes(json);
    }
}
