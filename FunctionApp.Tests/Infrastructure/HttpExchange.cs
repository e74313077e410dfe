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

    public HttpExchange(string path, string? contentType, string? body, string query = "", string method = "POST")
        : this(path, contentType, new MemoryStream(body is null ? [] : Encoding.UTF8.GetBytes(body)), query, method)
    {
    }

    public HttpExchange(string path, string? contentType, Stream body, string query = "", string method = "POST")
    {
        Context = new DefaultHttpContext { RequestServices = s_mvc };
        var request = Context.Request;
        request.Method = method;
        request.Scheme = "http";
        request.Host = new HostString("localhost", 7071);
        request.Path = path;
        request.QueryString = new QueryString(query);
        request.ContentType = contentType;
        request.Body = body;
        request.ContentLength = body.CanSeek ? body.Length : null;
        Context.Response.Body = new MemoryStream();
    }

    public HttpContext Context { get; }

    public HttpRequest Request => Context.Request;

    public int Status => Context.Response.StatusCode;

    public IHeaderDictionary Headers => Context.Response.Headers;

    public string? ContentType => Context.Response.ContentType;

    public string Body { get; private set; } = "";

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public static HttpExchange Get(string path) => new(path, null, (string?)null, method: HttpMethods.Get);

    public static HttpExchange Delete(string path) => new(path, null, (string?)null, method: HttpMethods.Delete);

    /// <summary>Runs the result against the context the way the host's pipeline does, and reads back the response.</summary>
    public async Task<HttpExchange> ExecuteAsync(IActionResult result)
    {
        await result.ExecuteResultAsync(new ActionContext(Context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return await ReadAsync();
    }

    /// <summary>Reads back what was written to the response.</summary>
    public async Task<HttpExchange> ReadAsync()
    {
        Context.Response.Body.Position = 0;
        Body = await new StreamReader(Context.Response.Body).ReadToEndAsync();
        Context.Response.Body.Position = 0;
        return this;
    }
}
