using ServerlessML.LocalHost;
using ServerlessML.LocalHost.Functions;

// `--worker`: a process that only works on the task hub (./run.sh --workers N starts these next to the one serving HTTP).
if (args.Contains("--worker"))
{
    var worker = LocalHostApp.BuildWorker([.. args.Where(a => a != "--worker")]);
    var lifetime = worker.Services.GetRequiredService<IHostApplicationLifetime>();
    var logger = worker.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ServerlessML.LocalHost");
    lifetime.ApplicationStarted.Register(logger.WorkerRunning);
    lifetime.ApplicationStopping.Register(logger.Stopping);
    try
    {
        worker.Run();
    }
    catch (InvalidOperationException e)
    {
        Console.Error.WriteLine($"ServerlessML worker could not start: {e.Message}");
        Environment.ExitCode = 1;
    }

    return;
}

var app = LocalHostApp.Build(args);
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var mapped in HttpFunctionEndpoints.Mapped(app))
    {
        app.Logger.HttpFunctionMapped(mapped.Function.Name, mapped.Methods, mapped.Pattern);
    }

    foreach (var timer in LocalHostApp.Timers)
    {
        app.Logger.TimerScheduled(timer.Name, timer.Schedule);
    }

    app.Logger.Listening(app.Urls);
});
app.Lifetime.ApplicationStopping.Register(app.Logger.Stopping);
try
{
    app.Run();
}
catch (InvalidOperationException e)
{
    // The log above has the details; this is the line to act on.
    Console.Error.WriteLine($"ServerlessML could not start: {e.Message}");
    Environment.ExitCode = 1;
}
