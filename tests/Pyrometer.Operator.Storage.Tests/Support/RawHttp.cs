using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>
/// Sends one HTTP/1.1 request with the request target exactly as written: HttpClient and Uri would normalise
/// "..", "%2e" or backslashes before they reach the server, which is what these tests must not let happen.
/// </summary>
internal static class RawHttp
{
    public static async Task<int> SendAsync(Uri server, string method, string target, byte[] body, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancellationToken);
        await using var stream = client.GetStream();
        var head = string.Create(CultureInfo.InvariantCulture,
            $"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("The server closed the connection without answering.");
        return int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
