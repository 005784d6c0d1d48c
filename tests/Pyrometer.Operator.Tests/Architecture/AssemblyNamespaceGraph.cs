using Microsoft.AspNetCore.Builder;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Pyrometer.Operator.Tests.Architecture;

/// <summary>
/// Builds the <see cref="NamespaceGraph"/> of one compiled assembly: every namespace a type uses within the same
/// assembly, through its signatures, attributes and every operand of its IL. Nested and compiler-generated types
/// (closures, state machines, local functions) count toward their outermost declaring type's namespace.
/// </summary>
internal sealed class AssemblyNamespaceGraph
{
    private const string GlobalNamespace = "(global namespace)";

    private readonly ModuleDefinition _module;
    private readonly NamespaceGraph _graph = new();
    private TypeDefinition _source = null!;
    private string _sourceNamespace = "";

    private AssemblyNamespaceGraph(ModuleDefinition module)
    {
        _module = module;
    }

    public static NamespaceGraph Read(string assemblyPath)
    {
        using var resolver = new DefaultAssemblyResolver();
        // Decoding attribute arguments of enum type needs the assemblies that define those enums:
        // the test's output folder and the shared frameworks it runs on.
        resolver.AddSearchDirectory(Path.GetDirectoryName(assemblyPath));
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location));
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(WebApplication).Assembly.Location));
        var parameters = new ReaderParameters { AssemblyResolver = resolver };
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath, parameters);

        var reader = new AssemblyNamespaceGraph(assembly.MainModule);
        foreach (var type in assembly.MainModule.GetTypes())
        {
            reader.Collect(type);
        }
        return reader._graph;
    }

    /// <summary>The namespace a type counts toward: that of its outermost declaring type.</summary>
    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        if (type.Namespace.Length > 0)
        {
            return type.Namespace;
        }
        // Types the compiler adds at the top level (<Module>, <>z__ReadOnlyArray`1 for collection expressions,
        // <PrivateImplementationDetails>) have unspeakable names in the global namespace. Each is its own node:
        // lumped together with Program (top-level statements) they would fake a cycle through the global namespace.
        return type.Name.StartsWith('<') ? type.Name : GlobalNamespace;
    }

    private void Collect(TypeDefinition type)
    {
        _source = type;
        _sourceNamespace = NamespaceOf(type);
        _graph.AddNamespace(_sourceNamespace);

        Use(type.BaseType, "base type");
        Attributes(type, "attribute");
        GenericParameters(type, "type parameter");
        foreach (var implemented in type.Interfaces)
        {
            Use(implemented.InterfaceType, "interface");
            Attributes(implemented, "interface attribute");
        }
        foreach (var field in type.Fields)
        {
            Use(field.FieldType, $"field {field.Name}");
            Attributes(field, $"field {field.Name} attribute");
        }
        foreach (var property in type.Properties)
        {
            Use(property.PropertyType, $"property {property.Name}");
            Parameters(property.Parameters, $"property {property.Name}");
            Attributes(property, $"property {property.Name} attribute");
        }
        foreach (var @event in type.Events)
        {
            Use(@event.EventType, $"event {@event.Name}");
            Attributes(@event, $"event {@event.Name} attribute");
        }
        foreach (var method in type.Methods)
        {
            Method(method);
        }
    }

    private void Method(MethodDefinition method)
    {
        var site = $"method {method.Name}";
        Use(method.ReturnType, site);
        Attributes(method.MethodReturnType, $"{site} return attribute");
        Parameters(method.Parameters, site);
        Attributes(method, $"{site} attribute");
        GenericParameters(method, $"{site} type parameter");
        foreach (var overridden in method.Overrides)
        {
            Use(overridden, $"{site} override");
        }
        if (!method.HasBody)
        {
            return;
        }

        var body = $"{site} body";
        foreach (var variable in method.Body.Variables)
        {
            Use(variable.VariableType, body);
        }
        foreach (var handler in method.Body.ExceptionHandlers)
        {
            Use(handler.CatchType, body);
        }
        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference type:
                    Use(type, body);
                    break;
                case MethodReference called:
                    Use(called, body);
                    break;
                case FieldReference field:
                    Use(field.DeclaringType, body);
                    Use(field.FieldType, body);
                    break;
                case CallSite callSite:
                    Use(callSite.ReturnType, body);
                    Parameters(callSite.Parameters, body);
                    break;
            }
        }
    }

    private void Use(MethodReference method, string site)
    {
        Use(method.DeclaringType, site);
        Use(method.ReturnType, site);
        Parameters(method.Parameters, site);
        if (method is GenericInstanceMethod generic)
        {
            foreach (var argument in generic.GenericArguments)
            {
                Use(argument, site);
            }
        }
    }

    private void Parameters(IEnumerable<ParameterDefinition> parameters, string site)
    {
        foreach (var parameter in parameters)
        {
            Use(parameter.ParameterType, site);
            Attributes(parameter, $"{site} parameter attribute");
        }
    }

    private void GenericParameters(IGenericParameterProvider provider, string site)
    {
        foreach (var parameter in provider.GenericParameters)
        {
            Attributes(parameter, site);
            foreach (var constraint in parameter.Constraints)
            {
                Use(constraint.ConstraintType, $"{site} constraint");
                Attributes(constraint, $"{site} constraint");
            }
        }
    }

    private void Attributes(ICustomAttributeProvider provider, string site)
    {
        foreach (var attribute in provider.CustomAttributes)
        {
            Use(attribute.Constructor, site);
            foreach (var argument in attribute.ConstructorArguments)
            {
                Argument(argument, site);
            }
            foreach (var named in attribute.Fields.Concat(attribute.Properties))
            {
                Argument(named.Argument, site);
            }
        }
    }

    private void Argument(CustomAttributeArgument argument, string site)
    {
        Use(argument.Type, site);
        switch (argument.Value)
        {
            case TypeReference type:                       // typeof(X) in an attribute
                Use(type, site);
                break;
            case CustomAttributeArgument boxed:            // an argument of parameter type object
                Argument(boxed, site);
                break;
            case CustomAttributeArgument[] elements:
                foreach (var element in elements)
                {
                    Argument(element, site);
                }
                break;
        }
    }

    private void Use(TypeReference? type, string site)
    {
        switch (type)
        {
            case null or GenericParameter:
                return;                                    // a type parameter names no type of its own
            case GenericInstanceType generic:
                Use(generic.ElementType, site);
                foreach (var argument in generic.GenericArguments)
                {
                    Use(argument, site);
                }
                return;
            case IModifierType modified:                   // modreq/modopt, e.g. IsExternalInit on init setters
                Use(modified.ModifierType, site);
                Use(modified.ElementType, site);
                return;
            case FunctionPointerType pointer:
                Use(pointer.ReturnType, site);
                Parameters(pointer.Parameters, site);
                return;
            case TypeSpecification specification:          // arrays, pointers, by-ref, pinned
                Use(specification.ElementType, site);
                return;
        }

        if (type.Scope != _module)
        {
            return;                                        // another assembly: not this graph's business
        }
        _graph.AddEdge(_sourceNamespace, NamespaceOf(type), $"{_source.FullName} -> {type.FullName} ({site})");
    }
}
