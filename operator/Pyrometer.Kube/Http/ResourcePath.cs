using System.Globalization;
using System.Text;
using k8s;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Http;

/// <summary>Builds request paths and query strings for resources.</summary>
internal static class ResourcePath
{
    public static string Collection(ResourceInfo resource, string? @namespace)
    {
        if (@namespace is not null && !resource.Namespaced)
        {
            throw new ArgumentException($"{resource.Kind} is cluster-scoped; do not give a namespace.", nameof(@namespace));
        }
        return @namespace is null
            ? resource.GroupVersionPath + "/" + resource.Plural
            : resource.GroupVersionPath + "/namespaces/" + Segment(@namespace) + "/" + resource.Plural;
    }

    public static string Item(ResourceInfo resource, ObjectKey key, string? subresource = null)
    {
        if (key.Name is null)
        {
            throw new ArgumentException("The object key is empty (default); build it with a name.", nameof(key));
        }
        if (resource.Namespaced && key.Namespace is null)
        {
            throw new ArgumentException($"{resource.Kind} is namespaced; the key '{key}' needs a namespace.", nameof(key));
        }
        var path = Collection(resource, key.Namespace) + "/" + Segment(key.Name);
        return subresource is null ? path : path + "/" + Segment(subresource);
    }

    public static string List(ResourceInfo resource, ListScope scope)
    {
        if (scope.Limit is <= 0)
        {
            throw new ArgumentException($"A list limit must be positive, not {scope.Limit}.", nameof(scope));
        }
        return Collection(resource, scope.Namespace) + Query(
            ("labelSelector", scope.LabelSelector),
            ("fieldSelector", scope.FieldSelector),
            ("limit", scope.Limit?.ToString(CultureInfo.InvariantCulture)),
            ("continue", scope.Continue));
    }

    public static string Watch(ResourceInfo resource, ListScope scope, string since, TimeSpan timeout) =>
        Collection(resource, scope.Namespace) + Query(
            ("watch", "true"),
            ("allowWatchBookmarks", "true"),
            ("resourceVersion", since),
            ("timeoutSeconds", ((long)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
            ("labelSelector", scope.LabelSelector),
            ("fieldSelector", scope.FieldSelector));

    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            builder.Append(builder.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        return builder.ToString();
    }

    private static string Segment(string value)
    {
        // Names are DNS labels in practice, but escaping keeps a hostile or mistyped name from
        // turning into a different path ("../secrets").
        if (value is "." or ".." || value.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{value}' is not a valid path segment for a Kubernetes name.", nameof(value));
        }
        return Uri.EscapeDataString(value);
    }
}
