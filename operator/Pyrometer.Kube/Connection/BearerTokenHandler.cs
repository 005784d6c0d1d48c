using System.Net;
using System.Net.Http.Headers;

namespace Pyrometer.Kube.Connection;

/// <summary>Adds the current bearer token to every request.</summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly TokenProvider _tokens;

    public BearerTokenHandler(TokenProvider tokens) => _tokens = tokens;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token may have rotated since we last read it, or the plugin's was revoked: renew it for the next call.
            _tokens.Invalidate(token);
        }
        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tokens.Dispose();
        }
        base.Dispose(disposing);
    }
}
