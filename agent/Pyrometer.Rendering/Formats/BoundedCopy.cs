namespace Pyrometer.Rendering.Formats;

/// <summary>Reads a whole stream into memory, refusing one longer than a cap (a stored file or a gzip bomb).</summary>
internal static class BoundedCopy
{
    public static byte[] ReadAll(Stream input, long maxBytes, string what)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = input.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new ProfileTooLargeException($"{what}: over {maxBytes} bytes", maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
