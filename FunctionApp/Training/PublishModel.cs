using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>Activity: writes the candidate as the model's next version with its manifest, then moves the aliases.</summary>
public sealed class PublishModel(TrainingRunStore runs, ModelStore models, TimeProvider clock)
{
    // The package version (5.0.1), not the assembly version, which ML.NET keeps at 1.0.0.0.
    private static readonly string MLNetVersion =
        typeof(Microsoft.ML.MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    [Function(nameof(PublishModel))]
    public async Task<PublishedModel> RunAsync([ActivityTrigger] PublishModelInput input, CancellationToken cancellationToken)
    {
        var request = input.Request;
        var zip = await runs.ReadBytesAsync(BlobPath.Parse(input.CandidateBlob), cancellationToken);
        var version = await models.PublishAsync(request.Model, input.RunId, zip, version => new ModelManifest(
            request.Model,
            version,
            clock.GetUtcNow(),
            input.RunId,
            input.Prepared.Schema,
            new TrainingSettings("Sdca", request.Trainer, request.TestFraction, request.Seed),
            input.Metrics,
            input.Prepared.Rows,
            new DatasetReference(request.DatasetBlob, input.Prepared.DatasetSha256),
            MLNetVersion), cancellationToken);

        var aliases = new List<string>();
        foreach (var alias in new[] { ModelStore.Latest, ModelStore.Production })
        {
            // A newer version published concurrently keeps the alias; this one is then not behind it.
            if (await models.AdvanceAliasAsync(request.Model, alias, version, cancellationToken) == version)
            {
                aliases.Add(alias);
            }
        }

        return new PublishedModel(
            version,
            ModelStore.ModelPath(request.Model, version).ToString(),
            ModelStore.ManifestPath(request.Model, version).ToString(),
            aliases);
    }
}
