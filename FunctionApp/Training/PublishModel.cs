using System.Diagnostics;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Telemetry;

namespace ServerlessML.Training;

/// <summary>Activity: writes the candidate as the model's next version with its manifest, then moves the aliases.</summary>
public sealed class PublishModel(TrainingRunStore runs, ModelStore models, TimeProvider clock, ILogger<PublishModel> logger)
{
    // The package version (5.0.1), not the assembly version, which ML.NET keeps at 1.0.0.0.
    private static readonly string MLNetVersion =
        typeof(Microsoft.ML.MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    [Function(nameof(PublishModel))]
    public async Task<PublishedModel> RunAsync([ActivityTrigger] PublishModelInput input, CancellationToken cancellationToken)
    {
        using var span = ServerlessTelemetry.StartPhase(nameof(PublishModel), input.RunId);
        var stopwatch = Stopwatch.StartNew();
        var request = input.Request;
        var zip = await runs.ReadBytesAsync(BlobPath.Parse(input.CandidateBlob), cancellationToken);
        var predictions = await runs.ReadBytesOrNullAsync(TrainingRunStore.TestPredictions(input.RunId), cancellationToken);
        var version = await models.PublishAsync(request.Model, input.RunId, zip, version => new ModelManifest(
            request.Model,
            version,
            clock.GetUtcNow(),
            input.RunId,
            input.Prepared.Schema,
            new TrainingSettings(request.Trainer.Kind.ToString(), request.Trainer, request.TestFraction, request.Seed),
            input.Metrics,
            input.Prepared.Rows,
            new DatasetReference(request.DatasetBlob, input.Prepared.DatasetSha256),
            MLNetVersion,
            input.Warnings,
            predictions?.ToObjectFromJson<TestPredictions>(StorageJson.Options)?.Importance,
            input.CrossValidation,
            input.Sweep), cancellationToken);

        // Before any alias points at it, so that whoever looks at the version finds its plots too.
        if (predictions is not null)
        {
            await models.KeepTestPredictionsAsync(request.Model, version, predictions, cancellationToken);
        }

        var aliases = new List<string>();
        var run = $"training run {input.RunId}";

        // A newer version published concurrently keeps latest; this one is then not behind it.
        if (await models.AdvanceAliasAsync(request.Model, ModelStore.Latest, version, run, cancellationToken) == version)
        {
            aliases.Add(ModelStore.Latest);
        }

        if (input.Promotion.Promote && await PromoteAsync(input, version, $"{run}: {input.Promotion.Reason}", cancellationToken))
        {
            aliases.Add(ModelStore.Production);
        }

        logger.Published(request.Model, version, stopwatch.Elapsed.TotalSeconds, aliases);
        span?.SetTag(ServerlessTelemetry.ModelAttribute, request.Model)
            .SetTag(ServerlessTelemetry.VersionAttribute, version)
            .SetTag("serverlessml.model.aliases", string.Join(",", aliases));
        return new PublishedModel(
            version,
            ModelStore.ModelPath(request.Model, version).ToString(),
            ModelStore.ManifestPath(request.Model, version).ToString(),
            aliases);
    }

    // Promotion on evidence holds only while production is still the version the evidence was about: if it
    // moved during the run, this version was never compared with what is now in production. Production already on
    // this version is an earlier delivery of this very activity having promoted it: that counts as promoted.
    private async Task<bool> PromoteAsync(PublishModelInput input, int version, string reason, CancellationToken cancellationToken) =>
        input.Promotion.Policy == PromotionPolicy.Auto
            ? await models.MoveAliasIfAsync(input.Request.Model, ModelStore.Production, input.Promotion.Champion?.Version, version, reason, cancellationToken)
            : await models.AdvanceAliasAsync(input.Request.Model, ModelStore.Production, version, reason, cancellationToken) == version;
}
