using System.Security.Cryptography;
using System.Text.Json;

namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>Downloads artifacts from the links in status and checks them against the size and SHA-256 status gives.</summary>
internal static class Artifacts
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<byte[]> DownloadVerifiedAsync(JsonElement artifact)
    {
        var url = artifact.GetProperty("url").GetString()
            ?? throw new InvalidOperationException($"artifact without url: {artifact}");
        using var response = await Http.GetAsync(new Uri(url));
        var content = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode,
            $"GET {Redacted(url)} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(content)}");
        Assert.Equal(artifact.GetProperty("bytes").GetInt64(), content.LongLength);
        Assert.Equal(artifact.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(content)));
        return content;
    }

    // presigned URLs carry credentials in the query
    private static string Redacted(string url) => url.Split('?')[0];
}
