using Pyrometer.Kubectl.Api;

namespace Pyrometer.Kubectl.Cli;

/// <summary>
/// Parses kubectl's <c>-l</c> syntax (<c>a=b,c!=d,e in (f,g),h notin (i),j,!k</c>) into a LabelSelector, checking every
/// key and value, so a bad selector is refused here rather than by the API server after the request exists.
/// </summary>
internal static class LabelSelectorParser
{
    public const int MaxLength = 1024;

    public static LabelSelectorSpec? Parse(string text, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            error = "the selector is empty or longer than 1024 characters";
            return null;
        }
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var expressions = new List<LabelRequirement>();
        foreach (var raw in SplitTopLevel(text))
        {
            var term = raw.Trim();
            if (!TryParseTerm(term, labels, expressions, out error))
            {
                return null;
            }
        }
        return new LabelSelectorSpec(labels.Count > 0 ? labels : null, expressions.Count > 0 ? expressions : null);
    }

    private static bool TryParseTerm(string term, SortedDictionary<string, string> labels, List<LabelRequirement> expressions, out string error)
    {
        error = "";
        if (term.StartsWith('!'))
        {
            return AddKeyOnly(term[1..].Trim(), "DoesNotExist", expressions, out error);
        }
        var set = SetTerm(term);
        if (set is var (key, op, values))
        {
            if (!KubeNames.IsLabelKey(key) || values.Count == 0 || values.Any(v => !KubeNames.IsLabelValue(v)))
            {
                error = $"bad selector term '{term}': a label key, then in/notin and a parenthesised list of label values";
                return false;
            }
            expressions.Add(new LabelRequirement(key, op, values));
            return true;
        }
        var (separator, notEqual) = term.Contains("!=", StringComparison.Ordinal) ? ("!=", true)
            : term.Contains("==", StringComparison.Ordinal) ? ("==", false)
            : term.Contains('=', StringComparison.Ordinal) ? ("=", false)
            : ("", false);
        if (separator.Length == 0)
        {
            return AddKeyOnly(term, "Exists", expressions, out error);
        }
        var at = term.IndexOf(separator, StringComparison.Ordinal);
        var labelKey = term[..at].Trim();
        var value = term[(at + separator.Length)..].Trim();
        if (!KubeNames.IsLabelKey(labelKey) || !KubeNames.IsLabelValue(value))
        {
            error = $"bad selector term '{term}': label keys and values are alphanumerics with '-', '_' and '.' (keys may have a DNS prefix and '/')";
            return false;
        }
        if (notEqual)
        {
            expressions.Add(new LabelRequirement(labelKey, "NotIn", [value]));
        }
        else if (!labels.TryAdd(labelKey, value) && labels[labelKey] != value)
        {
            error = $"the selector asks for two values of label '{labelKey}'";
            return false;
        }
        return true;
    }

    private static bool AddKeyOnly(string key, string op, List<LabelRequirement> expressions, out string error)
    {
        error = "";
        if (!KubeNames.IsLabelKey(key))
        {
            error = $"bad selector term '{key}': not a label key";
            return false;
        }
        expressions.Add(new LabelRequirement(key, op, null));
        return true;
    }

    private static (string Key, string Operator, List<string> Values)? SetTerm(string term)
    {
        foreach (var (word, op) in new[] { (" notin ", "NotIn"), (" in ", "In") })
        {
            var at = term.IndexOf(word, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }
            var list = term[(at + word.Length)..].Trim();
            if (!list.StartsWith('(') || !list.EndsWith(')'))
            {
                return (term[..at].Trim(), op, []);
            }
            var values = list[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
            return (term[..at].Trim(), op, values);
        }
        return null;
    }

    // Commas separate terms except inside a set's parentheses.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }
}
