using System.Reflection;
using System.Text;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests;

/// <summary>
/// Rendering's public surface, listed by reflection against Golden/PublicSurface/api.txt: the agent and the operator
/// program against it, so every type or member added to it (or taken away) is a choice made in review.
/// </summary>
public sealed class PublicSurfaceTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void PublicSurface_MatchesTheApprovedList()
    {
        var assembly = typeof(OutputFormats).Assembly;
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add(Describe(type));
            lines.AddRange(type.GetMembers(Declared)
                .Where(m => IsVisible(m) && !IsCompilerNoise(m))
                .Select(m => "    " + Describe(m))
                .Order(StringComparer.Ordinal));
        }

        GoldenFile.AssertMatches("PublicSurface", "api.txt", string.Join('\n', lines) + "\n");
    }

    [Fact]
    public void PublicSurface_HasNoInternalsVisibleToProductionAssemblies()
    {
        var friends = typeof(OutputFormats).Assembly.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName)
            .ToList();

        Assert.NotEmpty(friends);
        Assert.All(friends, name => Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Bench", StringComparison.Ordinal), name));
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase method => (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly) && !IsAccessor(method),
        FieldInfo field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly,
        PropertyInfo property => property.GetAccessors(nonPublic: true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
        Type nested => nested.IsNestedPublic || nested.IsNestedFamily,
        EventInfo => true,
        _ => false,
    };

    /// <summary>A record's clone method and an enum's value field: there for every record and enum, chosen by nobody.</summary>
    private static bool IsCompilerNoise(MemberInfo member) => member.Name is "<Clone>$" or "value__";

    private static bool IsAccessor(MethodBase method) =>
        method.IsSpecialName && (method.Name.StartsWith("get_", StringComparison.Ordinal) || method.Name.StartsWith("set_", StringComparison.Ordinal));

    private static string Describe(Type type)
    {
        var kind = type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsInterface ? "interface" : type.IsAbstract && type.IsSealed ? "static class" : "class";
        return kind + " " + type.FullName;
    }

    private static string Describe(MemberInfo member) => member switch
    {
        PropertyInfo property => (property.GetMethod?.IsStatic == true ? "static " : "") + "property " + Name(property.PropertyType) + " " + property.Name
            + (property.SetMethod is { IsPublic: true } setter ? (IsInitOnly(setter) ? " { get; init; }" : " { get; set; }") : " { get; }"),
        FieldInfo field => (field.IsLiteral ? "const " : field.IsStatic ? "static field " : "field ") + Name(field.FieldType) + " " + field.Name,
        ConstructorInfo constructor => "constructor(" + Parameters(constructor) + ")",
        MethodInfo method => (method.IsStatic ? "static " : "") + "method " + Name(method.ReturnType) + " " + method.Name + "(" + Parameters(method) + ")",
        _ => member.MemberType + " " + member.Name,
    };

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => (p.IsOut ? "out " : "") + Name(p.ParameterType) + " " + p.Name));

    private static string Name(Type type)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!);
        }
        if (!type.IsGenericType)
        {
            return type.IsArray ? Name(type.GetElementType()!) + "[]" : type.Name;
        }
        var builder = new StringBuilder(type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]);
        builder.Append('<').AppendJoin(", ", type.GetGenericArguments().Select(Name)).Append('>');
        return builder.ToString();
    }
}
