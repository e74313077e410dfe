using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>A request built on <see cref="DefaultHttpContext"/>, and the response a function's result writes to it.</summary>
internal sealed class HttpExchange
{
    private static readonly IServiceProvider s_mvc = new ServiceCollection().AddLogging().AddMvcCore().Services
        .Configure<JsonOptions>(o => ServerlessJson.Configure(o.JsonSerializerOptions))
        .BuildServiceProvider();

    public HttpExchange(string path, string? contentType, string? body, string query = "")
        : this(path, contentType, body is null ? [] : Encoding.UTF8.GetBytes(body), query)
    {
    }

    public HttpExchange(string path, string? contentType, byte[] body, string query = "")
    {
        Context = new DefaultHttpContext { RequestServices = s_mvc };
        var request = Context.Request;
        request.Method = HttpMethods.Post;
        request.Scheme = "http";
        request.Host = new HostString("localhost", 7071);
        request.Path = path;
        request.QueryString = new QueryString(query);
        request.ContentType = contentType;
        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        Context.Response.Body = new MemoryStream();
    }

    public HttpContext Context { get; }

    public HttpRequest Request => Context.Request;

    public int Status => Context.Response.StatusCode;

    public IHeaderDictionary Headers => Context.Response.Headers;

    public string? ContentType => Context.Response.ContentType;

    public string Body { get; private set; } = "";

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>Runs the result against the context the way the host's pipeline does, and reads back the response.</summary>
    public async Task<HttpExchange> ExecuteAsync(IActionResult result)
    {
        await result.ExecuteResultAsync(new ActionContext(Context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        Context.Response.Body.Position = 0;
        Body = await new StreamReader(Context.Response.Body).ReadToEndAsync();
        return this;
    }
}
