namespace Pyrometer.Sampling.Python.Async;

/// <summary>Reads every asyncio task of one attached process. Implementations are per version family.</summary>
internal interface IAsyncTaskReader
{
    /// <summary>Appends the live tasks to <paramref name="into"/>; never throws for bad or changing memory.</summary>
    /// <returns><see cref="SampleError.None"/> when the task registry was walked (tasks that did not add up are left out).</returns>
    SampleError ReadTasks(List<AsyncTask> into);
}
