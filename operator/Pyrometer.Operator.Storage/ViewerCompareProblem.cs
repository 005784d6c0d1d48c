namespace Pyrometer.Operator.Storage;

/// <summary>Why two requests could not be compared, as the HTTP status and the sentence the person reads.</summary>
internal sealed class ViewerCompareProblem(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
