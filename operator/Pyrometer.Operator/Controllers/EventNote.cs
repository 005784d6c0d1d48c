namespace Pyrometer.Operator.Controllers;

/// <summary>A core/v1 Event to record on the request: <c>Normal</c> or <c>Warning</c>, a reason and a message.</summary>
internal sealed record EventNote(string Type, string Reason, string Message);
