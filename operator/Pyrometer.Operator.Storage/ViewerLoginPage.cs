using System.Text;
using System.Text.Encodings.Web;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// The viewer's sign-in page: one password field for a Kubernetes bearer token, posted to <c>viewer/login</c>,
/// which sets an HttpOnly, SameSite=Strict cookie. Pure; no script.
/// </summary>
internal static class ViewerLoginPage
{
    public static string Render(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var html = new StringBuilder(ViewerPage.Head);
        html.Append("<p id=\"problem\">").Append(HtmlEncoder.Default.Encode(problem)).Append("</p>\n");
        html.Append("""
            <form id="login" method="post" action="viewer/login">
            <label>Kubernetes token <input type="password" name="token" autocomplete="off" required></label>
            <button>Sign in</button>
            </form>
            <p class="message">The operator checks the token with a TokenReview and shows the ProfileRequests you may
            <code>get</code>. Get a token with <code>kubectl create token &lt;service-account&gt;</code> or from your kubeconfig.
            Command-line clients can send it as <code>Authorization: Bearer &lt;token&gt;</code> instead.</p>
            </body>
            </html>

            """);
        return html.ToString();
    }
}
