namespace Pyrometer.Agent.Contracts;

/// <summary>A machine-readable code (see <see cref="ErrorCodes"/>) and a message for people.</summary>
public sealed record AgentError(string Code, string Message);
