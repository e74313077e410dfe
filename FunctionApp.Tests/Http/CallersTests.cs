using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using ServerlessML.Http;

namespace ServerlessML.Tests.Http;

/// <summary>The audit trail's "by" comes from what authenticated the request, never from what the caller claims.</summary>
public sealed class CallersTests
{
    [Test]
    public void Name_OfTheKeyThatLetTheRequestIn()
    {
        var request = Request(new ClaimsIdentity([new Claim(ServerlessML.Http.Callers.KeyIdClaim, "release-bot")], "WebJobsAuthLevel"));

        Assert.That(For(easyAuth: false).Name(request), Is.EqualTo("key:release-bot"));
    }

    [Test]
    public void Name_OfAnAuthenticatedUser()
    {
        var request = Request(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada@example.com")], "aad"));

        Assert.That(For(easyAuth: false).Name(request), Is.EqualTo("ada@example.com"));
    }

    [Test]
    public void EasyAuthHeader_WithoutEasyAuth_IsNotTrusted()
    {
        var request = Request();
        request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = "someone-else@example.com";

        Assert.That(For(easyAuth: false).Name(request), Is.Null);
    }

    [Test]
    public void EasyAuthHeader_WhereThePlatformSetsIt_IsTheCaller()
    {
        var request = Request();
        request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = "ada@example.com";

        Assert.That(For(easyAuth: true).Name(request), Is.EqualTo("ada@example.com"));
    }

    [Test]
    public void Name_OfAnUnauthenticatedIdentity_IsNull()
    {
        var request = Request(new ClaimsIdentity([new Claim(ClaimTypes.Name, "claimed")]));

        Assert.That(For(easyAuth: false).Name(request), Is.Null);
    }

    private static Callers For(bool easyAuth) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = easyAuth ? "True" : null }).Build());

    private static HttpRequest Request(ClaimsIdentity? identity = null)
    {
        var context = new DefaultHttpContext();
        if (identity is not null)
        {
            context.User = new ClaimsPrincipal(identity);
        }

        return context.Request;
    }
}
