using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pyrometer.Kube.Serialization;

/// <summary>
/// Timestamps in the official client's models, written with exactly six fractional digits. The client drops the
/// fraction when it is zero (<c>…:05Z</c>), and the API server parses a <c>metav1.MicroTime</c> (a Lease's renewTime,
/// an Event's eventTime) with Go's layout <c>2006-01-02T15:04:05.000000Z07:00</c>, which wants all six; plain
/// <c>metav1.Time</c> fields accept them too.
/// </summary>
internal sealed class KubeClientTimeConverter : JsonConverter<DateTime>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new JsonException($"'{text}' is not an RFC 3339 timestamp.");
        }
        return value.UtcDateTime;
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var utc = value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();
        writer.WriteStringValue(utc.ToString(Format, CultureInfo.InvariantCulture));
    }
}
