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

    /// <summary>
    /// <see cref="ReadAll"/> for a stream from the network, with a budget: over <paramref name="budget"/> bytes throws,
    /// naming <paramref name="maxBytes"/>, the cap that budget is what is left of.
    /// </summary>
    public static async Task<byte[]> ReadAllAsync(Stream input, long budget, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > budget)
            {
                throw new ProfileTooLargeException($"profiles: over {maxBytes} bytes together", maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
