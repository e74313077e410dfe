namespace ServerlessML.Telemetry;

/// <summary>Where telemetry goes besides Azure Monitor (which <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> turns on):
/// an OTLP collector, the console, for a look on one's own machine.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>An OTLP/gRPC endpoint (the Aspire dashboard, Jaeger, an OpenTelemetry Collector) for traces and metrics.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Writes spans and metrics to the console.</summary>
    public bool Console { get; set; }
}
