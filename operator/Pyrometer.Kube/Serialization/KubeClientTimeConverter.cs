using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pyrometer.Kube.Serialization;

/// <summary>
/// Timestamps in the official client's models, written with exactly six fractional digits. The client drops the
/// fraction when it is zero (<c>…:05Z</c>), which the API server rejects for a <c>metav1.MicroTime</c> such as a
/// Lease's renewTime (see <see cref="MicroTimeConverter"/>); plain <c>metav1.Time</c> fields accept it either way.
/// </summary>
internal sealed class KubeClientTimeConverter : JsonConverter<DateTime>
{
    private static readonly MicroTimeConverter MicroTime = new();

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        MicroTime.Read(ref reader, typeof(DateTimeOffset), options).UtcDateTime;

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        MicroTime.Write(writer, value.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(value, TimeSpan.Zero) : new DateTimeOffset(value), options);
}
