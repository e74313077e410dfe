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
    /// OpenTelemetry for either host: the app's spans and metrics and the Durable Task SDK's spans, exported to Azure
    /// Monitor when <see cref="AzureMonitorSetting"/> is set, and over OTLP or to the console as <see cref="TelemetryOptions"/>
    /// says. With none of them, spans and metrics are made only for in-process listeners (the tests).
    /// </summary>
    public static OpenTelemetryBuilder AddServerlessTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // Read here, not through IOptions: which exporters exist is decided while the services are registered.
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServerlessTelemetry.Name))
            .WithTracing(tracing => tracing.AddSource(ServerlessTelemetry.Name, ServerlessTelemetry.DurableTaskSource))
            .WithMetrics(metrics => metrics.AddMeter(ServerlessTelemetry.Name));

        if (configuration[AzureMonitorSetting] is { Length: > 0 } connectionString)
        {
            builder.UseAzureMonitorExporter(o => o.ConnectionString = connectionString);
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
