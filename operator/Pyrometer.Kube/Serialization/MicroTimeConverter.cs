using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pyrometer.Kube.Serialization;

/// <summary>
/// Reads and writes <c>metav1.MicroTime</c>. The API server parses it with Go's layout
/// <c>2006-01-02T15:04:05.000000Z07:00</c>, which wants exactly six fractional digits, so the
/// seven digits System.Text.Json writes by default would be rejected.
/// </summary>
public sealed class MicroTimeConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new JsonException($"'{text}' is not an RFC 3339 timestamp.");
        }
        return value;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
    }
}
