namespace Pyrometer.Operator.Injection;

/// <summary>Why the API server would not add the agent to a pod: a request reason and a message for people.</summary>
internal sealed record InjectionRefusal(string Reason, string Message);
