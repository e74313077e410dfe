using Microsoft.AspNetCore.Mvc;

namespace ServerlessML.Http;

/// <summary>Adds a response header to another result (MVC has no result for <c>Retry-After</c>).</summary>
public sealed class HeaderResult(IActionResult inner, string name, string value) : IActionResult
{
    public IActionResult Inner { get; } = inner;

    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.Headers[name] = value;
        return Inner.ExecuteResultAsync(context);
    }
}
