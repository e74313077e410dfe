using ServerlessML.LocalHost;
using ServerlessML.LocalHost.Functions;

var app = LocalHostApp.Build(args);
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var mapped in HttpFunctionEndpoints.Mapped(app))
    {
        app.Logger.LogInformation("{Function}: [{Methods}] {Pattern}", mapped.Function.Name, string.Join(",", mapped.Methods), mapped.Pattern);
    }

    app.Logger.LogInformation("ServerlessML local host listening on {Urls}; Ctrl-C stops it", string.Join(", ", app.Urls));
});
app.Lifetime.ApplicationStopping.Register(() => app.Logger.LogInformation("Stopping"));
app.Run();
