using System.Globalization;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>Turns a <see cref="PythonTheoryAttribute"/> method into one test case per interpreter.</summary>
public sealed class PythonTheoryDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink _diagnosticMessageSink;

    public PythonTheoryDiscoverer(IMessageSink diagnosticMessageSink)
    {
        _diagnosticMessageSink = diagnosticMessageSink;
    }

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        ArgumentNullException.ThrowIfNull(factAttribute);
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();

        var parameters = testMethod.Method.GetParameters().ToList();
        if (parameters.Count != 1 || parameters[0].ParameterType.Name != typeof(TestPython).FullName)
        {
            return [new ExecutionErrorTestCase(_diagnosticMessageSink, display, displayOptions, testMethod,
                $"[PythonTheory] method {testMethod.Method.Name} must take exactly one {nameof(TestPython)} parameter.")];
        }

        IXunitTestCase Skipped(TestPython python, string reason) =>
            new XunitSkippedDataRowTestCase(_diagnosticMessageSink, display, displayOptions, testMethod, reason, [python]);

        if (factAttribute.GetNamedArgument<string>(nameof(FactAttribute.Skip)) is { Length: > 0 } skip)
        {
            return [Skipped(new TestPython("", "any", "none", skip), skip)];
        }

        (int, int)? minimum = null;
        if (factAttribute.GetNamedArgument<string>(nameof(PythonTheoryAttribute.MinVersion)) is { Length: > 0 } min)
        {
            var parts = min.Split('.');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            {
                return [new ExecutionErrorTestCase(_diagnosticMessageSink, display, displayOptions, testMethod,
                    $"[PythonTheory(MinVersion = \"{min}\")] on {testMethod.Method.Name}: expected major.minor, e.g. \"3.11\".")];
            }
            minimum = (major, minor);
        }

        var module = factAttribute.GetNamedArgument<string>(nameof(PythonTheoryAttribute.Module));
        var cases = new List<IXunitTestCase>();
        foreach (var python in TestPythons.Available)
        {
            if (minimum is { } m && !python.IsAtLeast(m.Item1, m.Item2))
            {
                cases.Add(Skipped(python, $"CPython {python.Version} ({python.Origin}) is older than {m.Item1}.{m.Item2}, which this test needs."));
            }
            else if (module is { Length: > 0 } && PythonModules.ImportError(python, module) is { } missing)
            {
                cases.Add(Skipped(python, $"CPython {python.Version} ({python.Origin}) cannot import {module} ({missing}); hack/install-test-deps.sh installs it where Debian packages it for that version."));
            }
            else
            {
                cases.Add(new XunitTestCase(_diagnosticMessageSink, display, displayOptions, testMethod, [python]));
            }
        }
        foreach (var python in TestPythons.Missing)
        {
            cases.Add(Skipped(python, python.SkipReason ?? "not installed"));
        }
        if (cases.Count == 0)
        {
            var reason = TestPythons.NoneFoundReason;
            cases.Add(Skipped(new TestPython("", "none", "none", reason), reason));
        }
        return cases;
    }
}
