using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ServerlessML.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>The setting the Functions platform and <c>infra/</c> use for Application Insights.</summary>
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// OpenTelemetry for either host: the app's spans and metrics, the Durable Task SDK's spans and the host's own
    /// <paramref name="hostSources"/>, exported to Azure Monitor when <see cref="AzureMonitorSetting"/> is set, and over
    /// OTLP or to the console as <see cref="TelemetryOptions"/> says. With none of them nothing listens, so spans and
    /// metrics cost nothing (tests and tools can still listen for themselves).
    /// </summary>
    public static OpenTelemetryBuilder AddServerlessTelemetry(this IServiceCollection services, IConfiguration configuration, params string[] hostSources)
    {
        var builder = services.AddOpenTelemetry();
        // Read here, not through IOptions: which exporters exist is decided while the services are registered.
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var azureMonitor = configuration[AzureMonitorSetting];
        if (string.IsNullOrWhiteSpace(azureMonitor) && options.OtlpEndpoint is null && !options.Console)
        {
            return builder;
        }

        builder.ConfigureResource(resource => resource.AddService(ServerlessTelemetry.Name))
            .WithTracing(tracing => tracing.AddSource([ServerlessTelemetry.Name, ServerlessTelemetry.DurableTaskSource, .. hostSources]))
            .WithMetrics(metrics => metrics.AddMeter(ServerlessTelemetry.Name));

        if (!string.IsNullOrWhiteSpace(azureMonitor))
        {
            builder.UseAzureMonitorExporter(o => o.ConnectionString = azureMonitor);
        }

        if (options.OtlpEndpoint is { } endpoint)
        {
            builder.WithTracing(tracing => tracing.AddOtlpExporter(o => Otlp(o, endpoint)))
                .WithMetrics(metrics => metrics.AddOtlpExporter(o => Otlp(o, endpoint)));
        }

        if (options.Console)
        {
            builder.WithTracing(tracing => tracing.AddConsoleExporter()).WithMetrics(metrics => metrics.AddConsoleExporter());
        }

        return builder;
    }

    private static void Otlp(OtlpExporterOptions options, Uri endpoint)
    {
        options.Endpoint = endpoint;
        options.Protocol = OtlpExportProtocol.Grpc;
    }
}
