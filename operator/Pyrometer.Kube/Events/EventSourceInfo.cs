namespace Pyrometer.Kube.Events;

/// <summary>Who writes the events: the fields kube's recorders fill in on every core Event.</summary>
/// <param name="Component">The legacy <c>source.component</c>, e.g. <c>pyrometer-operator</c>.</param>
/// <param name="ReportingComponent">The controller, e.g. <c>pyrometer.dev/operator</c>.</param>
/// <param name="ReportingInstance">The instance (pod) of the controller.</param>
public sealed record EventSourceInfo(string Component, string ReportingComponent, string ReportingInstance);
