namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>A directory deleted with the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pyrometer-storage-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be closing a file; a leftover temp directory is harmless.
        }
    }
}
