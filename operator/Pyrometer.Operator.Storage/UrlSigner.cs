using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// Signs and checks the built-in store's URLs: agent uploads (PUT) and people's download links (GET).
/// HMAC-SHA256 over method, path, expiry, a nonce and, for uploads, the largest body allowed, carried as
/// <c>?expires=&lt;unix seconds&gt;&amp;nonce=&lt;base64url&gt;[&amp;max=&lt;bytes&gt;]&amp;signature=&lt;base64url&gt;</c>.
/// The method is signed, so a download link cannot be used to upload and vice versa.
/// Pure: the caller passes the time and keeps the used-nonce ledger.
/// </summary>
internal sealed class UrlSigner
{
    public const int MinKeyBytes = 32;
    public const int NonceBytes = 16;

    private readonly byte[] _key;

    public UrlSigner(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"The signing key must be at least {MinKeyBytes} bytes.", nameof(key));
        }
        _key = (byte[])key.Clone();
    }

    public static bool TryDecodeKey(string base64, out byte[] key)
    {
        key = [];
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return key.Length >= MinKeyBytes;
    }

    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(NonceBytes));

    /// <summary>True for a nonce of the shape <see cref="NewNonce"/> makes (safe to use as a file name).</summary>
    public static bool IsWellFormedNonce(string nonce) =>
        nonce.Length == 22 && Base64Url.IsValid(nonce, out var decoded) && decoded == NonceBytes;

    /// <summary>
    /// The query string (without '?') that authorises <paramref name="method"/> on <paramref name="path"/> until
    /// <paramref name="expires"/>; with <paramref name="maxBytes"/>, for a body of at most that many bytes.
    /// </summary>
    public string SignQuery(string method, string path, DateTimeOffset expires, string nonce, long? maxBytes = null)
    {
        var seconds = expires.ToUnixTimeSeconds();
        var max = maxBytes?.ToString(CultureInfo.InvariantCulture);
        var limit = max is null ? "" : "&max=" + max;
        return string.Create(CultureInfo.InvariantCulture, $"expires={seconds}&nonce={nonce}{limit}&signature={Sign(method, path, seconds, nonce, max)}");
    }

    /// <summary>Checks a URL's parameters; <paramref name="maxBytes"/> is the <c>max</c> parameter as sent (null when absent).</summary>
    public SignatureVerdict Check(string method, string path, string? expires, string? nonce, string? signature, DateTimeOffset now, string? maxBytes = null)
    {
        if (expires is null || nonce is null || signature is null
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !IsWellFormedNonce(nonce)
            || !Base64Url.IsValid(signature)
            || maxBytes is not null && !long.TryParse(maxBytes, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return SignatureVerdict.Malformed;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(method, path, seconds, nonce, maxBytes));
        var given = Encoding.ASCII.GetBytes(signature);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return SignatureVerdict.Forged;
        }
        // Checked after the signature, so an expiry can only be reported for a URL this store issued.
        return now.ToUnixTimeSeconds() >= seconds ? SignatureVerdict.Expired : SignatureVerdict.Valid;
    }

    private string Sign(string method, string path, long expires, string nonce, string? maxBytes)
    {
        // An absent limit signs as an empty line, so "no limit" and any limit never share a signature.
        var message = string.Create(CultureInfo.InvariantCulture, $"{method}\n{path}\n{expires}\n{nonce}\n{maxBytes}");
        return Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(message)));
    }
}
