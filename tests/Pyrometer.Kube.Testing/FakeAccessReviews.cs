using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Pyrometer.Kube.Testing;

/// <summary>
/// The fake API server's authenticator and authorizer: TokenReviews answer from the tokens a test registers,
/// SubjectAccessReviews from the (user, verb, group, resource, namespace) grants it adds. Both are answered,
/// never stored, as a real API server does.
/// </summary>
internal sealed class FakeAccessReviews
{
    private readonly ConcurrentDictionary<string, (string User, string[] Groups)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _grants = new(StringComparer.Ordinal);
    private int _tokenReviews;
    private int _accessReviews;

    /// <summary>How many TokenReviews were created.</summary>
    public int TokenReviews => Volatile.Read(ref _tokenReviews);

    /// <summary>How many SubjectAccessReviews were created.</summary>
    public int AccessReviews => Volatile.Read(ref _accessReviews);

    /// <summary>Makes <paramref name="token"/> authenticate as <paramref name="user"/>.</summary>
    public void AddToken(string token, string user, params string[] groups) => _tokens[token] = (user, groups);

    /// <summary>Lets <paramref name="user"/> perform <paramref name="verb"/> on a resource in one namespace.</summary>
    public void Allow(string user, string verb, string group, string resource, string @namespace) =>
        _grants[Grant(user, verb, group, resource, @namespace)] = true;

    public FakeResult ReviewToken(JsonObject review)
    {
        Interlocked.Increment(ref _tokenReviews);
        var token = review["spec"]?["token"]?.GetValue<string>() ?? "";
        review["status"] = _tokens.TryGetValue(token, out var who)
            ? new JsonObject
            {
                ["authenticated"] = true,
                ["user"] = new JsonObject { ["username"] = who.User, ["groups"] = new JsonArray([.. who.Groups.Select(g => (JsonNode)g)]) },
            }
            : new JsonObject { ["authenticated"] = false, ["error"] = "invalid bearer token" };
        return new FakeResult(201, review);
    }

    public FakeResult ReviewAccess(JsonObject review)
    {
        Interlocked.Increment(ref _accessReviews);
        var spec = review["spec"];
        var action = spec?["resourceAttributes"];
        var allowed = spec?["user"]?.GetValue<string>() is { } user && action is not null && _grants.ContainsKey(Grant(
            user, Text(action, "verb"), Text(action, "group"), Text(action, "resource"), Text(action, "namespace")));
        review["status"] = new JsonObject { ["allowed"] = allowed };
        return new FakeResult(201, review);
    }

    private static string Text(JsonNode node, string name) => node[name]?.GetValue<string>() ?? "";

    private static string Grant(string user, string verb, string group, string resource, string @namespace) =>
        string.Join('\n', user, verb, group, resource, @namespace);
}
