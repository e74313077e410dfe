using System.Net;
using System.Text;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>Links are built from a configured base URL or an address the server listens on, never from a made-up Host header.</summary>
public sealed class PublicBaseUrlTests
{
    [Test]
    public async Task ForgedHostHeader_IsNotReflectedIntoTheLinks()
    {
        await using var server = await LocalHostServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/train?model={ModelNames.Unique("host")}")
        {
            Content = new StringContent(SyntheticData.Csv(100), Encoding.UTF8, "text/csv"),
        };
        request.Headers.Host = "evil.example.com";

        using var response = await server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), body);
        Assert.That(response.Headers.Location!.Authority, Is.EqualTo(server.Client.BaseAddress!.Authority));
        Assert.That(body, Does.Not.Contain("evil.example.com"));
    }

    [Test]
    public async Task ConfiguredBaseUrl_IsWhatTheLinksUse()
    {
        await using var server = await LocalHostServer.StartAsync(new Dictionary<string, string?> { ["LocalHost:BaseUrl"] = "https://ml.example.com/" });

        using var response = await server.Client.PostAsync($"/api/train?model={ModelNames.Unique("base")}", new StringContent(SyntheticData.Csv(100), Encoding.UTF8, "text/csv"));

        Assert.That(response.Headers.Location!.ToString(), Does.StartWith("https://ml.example.com/runtime/webhooks/durabletask/instances/"));
    }

    [Test]
    public void ConfiguredBaseUrl_NotAnHttpUrl_StopsTheStart()
    {
        var failure = Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var server = await LocalHostServer.StartAsync(new Dictionary<string, string?> { ["LocalHost:BaseUrl"] = "ml.example.com" });
            using var response = await server.Client.PostAsync($"/api/train?model={ModelNames.Unique("base")}", new StringContent(SyntheticData.Csv(100), Encoding.UTF8, "text/csv"));
        });

        Assert.That(failure!.Message, Does.Contain("LocalHost__BaseUrl"));
    }
}
