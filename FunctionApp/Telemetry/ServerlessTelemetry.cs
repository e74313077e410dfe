using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace ServerlessML.Telemetry;

/// <summary>
/// The app's own spans and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>, and the attribute names they use. Spans of a training run are children of the Durable Task SDK's
/// activity spans, which carry the run's trace from the request that started it, so a run is one trace on any backend.
/// </summary>
public static class ServerlessTelemetry
{
    public const string Name = "ServerlessML";

    /// <summary>The Durable Task SDK's spans: create_orchestration, orchestration:…, activity:….</summary>
    public const string DurableTaskSource = "Microsoft.DurableTask";

    public const string ModelAttribute = "serverlessml.model";
    public const string VersionAttribute = "serverlessml.model.version";
    public const string RunIdAttribute = "serverlessml.run.id";
    public const string RowsAttribute = "serverlessml.rows";

    private static readonly string? s_version = typeof(ServerlessTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static ActivitySource Source { get; } = new(Name, s_version);

    public static Meter Meter { get; } = new(Name, s_version);

    /// <summary>How long a predict request took, from its first byte read to its answer, by model and version.</summary>
    public static Histogram<double> PredictDuration { get; } = Meter.CreateHistogram(
        "serverlessml.predict.duration",
        unit: "s",
        description: "Duration of predict requests that were answered with predictions.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>How many instances or rows a predict request held, by model and version.</summary>
    public static Histogram<int> PredictBatchSize { get; } = Meter.CreateHistogram(
        "serverlessml.predict.batch_size",
        unit: "{instance}",
        description: "Instances or rows per predict request.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000, 100000] });

    /// <summary>Lookups the model cache answered with a version it had loaded.</summary>
    public static Counter<long> ModelCacheHits { get; } = Meter.CreateCounter<long>(
        "serverlessml.model_cache.hits", unit: "{lookup}", description: "Model lookups answered from memory.");

    /// <summary>Versions the model cache loaded from storage.</summary>
    public static Counter<long> ModelCacheLoads { get; } = Meter.CreateCounter<long>(
        "serverlessml.model_cache.loads", unit: "{load}", description: "Model versions loaded from storage for serving.");

    public static void RecordPrediction(string model, int version, int instances, TimeSpan elapsed)
    {
        var tags = Tags(model, version);
        PredictDuration.Record(elapsed.TotalSeconds, tags);
        PredictBatchSize.Record(instances, tags);
    }

    public static TagList Tags(string model, int version) => new() { { ModelAttribute, model }, { VersionAttribute, version } };

    /// <summary>A span for one phase of a training run (an activity), tagged with the run; null when nobody listens.</summary>
    public static Activity? StartPhase(string phase, string? runId) =>
        Source.StartActivity(phase)?.SetTag(RunIdAttribute, runId);
}
