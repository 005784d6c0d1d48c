using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pyrometer.Rendering.Comparison;

/// <summary>
/// The top-changes table as JSON, for scripts and gates: every function that grew and every one that shrank,
/// in the order of <see cref="ProfileChanges"/>. Percentages are of each profile's own samples; changes are
/// percentage points. Written with <see cref="Utf8JsonWriter"/>: no reflection, AOT-safe.
/// </summary>
public static class ChangesJsonWriter
{
    /// <summary>The version written as <c>formatVersion</c>; it changes when a field changes meaning.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes <paramref name="changes"/> as one JSON document.</summary>
    /// <param name="changes">What <see cref="ProfileComparison.Compare"/> found.</param>
    /// <param name="output">Receives UTF-8 JSON; left open.</param>
    /// <param name="matchedBy"><c>function</c> or <c>line</c>: how the flame graphs matched frames.</param>
    public static void Write(ProfileChanges changes, Stream output, string matchedBy = "function")
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(matchedBy);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = true,
            // Read by tools, never embedded in HTML, so names like <module> stay readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteNumber("version", FormatVersion);
        json.WriteString("unit", "percentage points of each profile's samples");
        json.WriteString("matchedBy", matchedBy);
        json.WriteNumber("beforeSamples", changes.BeforeSamples);
        json.WriteNumber("afterSamples", changes.AfterSamples);
        WriteList(json, "grew", changes.Grew);
        WriteList(json, "shrank", changes.Shrank);
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }

    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<FunctionChange> functions)
    {
        json.WriteStartArray(name);
        foreach (var function in functions)
        {
            json.WriteStartObject();
            json.WriteString("function", function.Function);
            json.WriteString("file", function.File);
            WriteShare(json, "self", function.BeforeSelfPercent, function.AfterSelfPercent, function.BeforeSelfSamples, function.AfterSelfSamples);
            WriteShare(json, "total", function.BeforeTotalPercent, function.AfterTotalPercent, function.BeforeTotalSamples, function.AfterTotalSamples);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteShare(Utf8JsonWriter json, string name, double before, double after, long beforeSamples, long afterSamples)
    {
        json.WriteStartObject(name);
        json.WriteNumber("change", Round(after - before));
        json.WriteNumber("before", Round(before));
        json.WriteNumber("after", Round(after));
        json.WriteNumber("beforeSamples", beforeSamples);
        json.WriteNumber("afterSamples", afterSamples);
        json.WriteEndObject();
    }

    // Four decimals is far below any sampling error and keeps the file the same on every platform.
    private static double Round(double value)
    {
        var rounded = Math.Round(value, 4, MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : rounded;
    }
}
