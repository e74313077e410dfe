using Microsoft.Extensions.Configuration.Memory;
using ServerlessML.Http;
using ServerlessML.Telemetry;
using ServerlessML.LocalHost.Configuration;
using ServerlessML.LocalHost.Durable;
using ServerlessML.LocalHost.Functions;
using ServerlessML.LocalHost.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerlessML.LocalHost;

/// <summary>
/// The local host: the function app's HTTP functions, its orchestration on the Durable Task Framework's Azure Storage
/// backend and the durable instance API, on Kestrel, configured from the same host.json and local.settings.json as the
/// Functions host.
/// </summary>
public static class LocalHostApp
{
    /// <summary>Where <c>func start</c> listens.</summary>
    public const string DefaultUrl = "http://localhost:7071";

    private static readonly Dictionary<string, string?> s_defaults = new()
    {
        // What Core Tools' local.settings.json template says: the storage emulator on its default ports.
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.DurableTask"] = "Warning",
        ["Logging:LogLevel:Grpc"] = "Warning",
        ["Logging:LogLevel:Azure"] = "Warning",
        // The durable sidecar runs a second host whose lifetime messages would only confuse; Program says where it listens.
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        // The Azure Storage backend logs every poll and lease at Information.
        ["Logging:LogLevel:DurableTask.AzureStorage"] = "Warning",
        ["Logging:LogLevel:DurableTask.Core"] = "Warning",
    };

    // Any of these means the user chose where to listen.
    private static readonly string[] s_endpointKeys = ["urls", "http_ports", "https_ports"];

    /// <summary>The HTTP functions the local host serves: the route table a test keeps equal to functions.metadata.</summary>
    public static IReadOnlyList<HttpFunction> Functions { get; } = HttpFunction.Discover(typeof(TrainFunction).Assembly);

    /// <summary>The timer functions the local host runs, as functions.metadata lists them.</summary>
    public static IReadOnlyList<TimerFunction> Timers { get; } = TimerFunction.Discover(typeof(TrainFunction).Assembly);

    /// <summary>The local host that serves HTTP: the functions, the durable API, the timers, and a durable worker.</summary>
    /// <param name="args">Command-line arguments, e.g. <c>--urls http://localhost:7072</c>.</param>
    /// <param name="settings">Settings that win over every other source (tests).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = AppContext.BaseDirectory;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = directory });
        Configure(builder.Configuration, builder.Logging, directory, settings);

        if (s_endpointKeys.All(key => string.IsNullOrEmpty(builder.Configuration[key])))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Kestrel would refuse bodies over 30 MB; the functions enforce their own limits (Training__MaxRequestBytes,
        // Training__MaxDatasetBytes, Serving__MaxRequestBytes), and a dataset upload is streamed, so any size is fine here.
        // No Server header: it tells a prober what to aim at and a client nothing.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });

        var host = AddFunctionApp(builder.Services, builder.Configuration, directory);
        var services = builder.Services;
        services.AddMvcCore();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = UnservedRequests.Describe);
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<TimerFunctionRunner>(sp, Timers));
        services.AddOptions<KeySettings>().BindConfiguration(KeySettings.Section).Validate(keys => keys.Validate()).ValidateOnStart();
        services.AddSingleton<PublicBaseUrl>();
        // The Functions host's durable client knows its own URLs and key; here they come from the settings.
        services.Replace(ServiceDescriptor.Singleton<IDurableManagementLinks, LocalManagementLinks>());

        var app = builder.Build();
        // A base URL that is not one is a mistake to hear about now, not in every link later.
        app.Services.GetRequiredService<PublicBaseUrl>().Configured();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<KeyAuthorization>();
        app.MapHttpFunctions(Functions, host.RoutePrefix);
        app.MapDurableHttpApi();
        app.Lifetime.ApplicationStarted.Register(() => WarnWhenOpen(app));
#if BENCHMARK_ENDPOINTS
        app.MapBenchmarkEcho();
#endif
        return app;
    }

    // Anonymous is fine on a developer's loopback; on an address others reach it means anyone can train and delete.
    private static void WarnWhenOpen(WebApplication app)
    {
        var open = app.Urls.Where(url => Uri.TryCreate(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            && !uri.IsLoopback && uri.Host != "localhost").ToList();
        if (open.Count > 0 && !app.Services.GetRequiredService<IOptions<KeySettings>>().Value.Any)
        {
            app.Logger.OpenWithoutKeys(open);
        }
    }

    /// <summary>
    /// A worker process of a local deployment (<c>./run.sh --workers N</c>): it runs orchestrations and activities from
    /// the same task hub as the process that serves HTTP, and serves nothing itself.
    /// </summary>
    public static IHost BuildWorker(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = AppContext.BaseDirectory;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = directory });
        // Its lines go to the same terminal as the first process's: the pid tells them apart.
        Configure(builder.Configuration, builder.Logging, directory, settings, $"'[worker {Environment.ProcessId}]' ");
        AddFunctionApp(builder.Services, builder.Configuration, directory);
        return builder.Build();
    }

    // Lowest precedence first: defaults, then local.settings.json, then what the builder added (environment variables,
    // command line), as under Core Tools, where the environment wins over local.settings.json.
    private static void Configure(
        ConfigurationManager configuration, ILoggingBuilder logging, string directory, IReadOnlyDictionary<string, string?>? settings, string tag = "")
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = s_defaults });
        configuration.Sources.Insert(1, new MemoryConfigurationSource { InitialData = LocalSettings.Load(directory) });
        if (settings is not null)
        {
            configuration.AddInMemoryCollection(settings);
        }

        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = $"HH:mm:ss {tag}";
        });
    }

    // What every process of the local host runs: the app's services and the durable engine on the task hub.
    private static HostJson AddFunctionApp(IServiceCollection services, ConfigurationManager configuration, string directory)
    {
        var host = HostJson.Load(directory, configuration);
        var local = configuration.GetSection(LocalDurableSettings.Section).Get<LocalDurableSettings>() ?? new LocalDurableSettings();

        services.AddServerlessML();
        // ASP.NET Core's own request spans: a training run's trace starts at the request that started it.
        services.AddServerlessTelemetry(configuration, "Microsoft.AspNetCore");
        services.AddDurableEngine(host.DurableTask, local);
        return host;
    }
}
