using System.Globalization;
using System.Text.Json.Nodes;

namespace Pyrometer.Kube.Testing;

/// <summary>What the fake server answers: a status code and a JSON body (an object or a Status).</summary>
internal sealed record FakeResult(int Code, JsonObject Body)
{
    public static FakeResult Status(int code, string reason, string message, string? name = null, string? kind = null)
    {
        var body = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (name is not null || kind is not null)
        {
            body["details"] = new JsonObject { ["name"] = name, ["kind"] = kind };
        }
        return new FakeResult(code, body);
    }

    public static FakeResult NotFound(FakeResource resource, string name) =>
        Status(404, "NotFound", string.Create(CultureInfo.InvariantCulture, $"{resource.Plural} \"{name}\" not found"), name, resource.Plural);
}
