using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>Activity: scores the model's current production version on the new test split, when its schema fits it.</summary>
public sealed class EvaluateChampion(ModelStore models, TrainingRunStore runs, PreparedDataCache cache, ILogger<EvaluateChampion> logger)
{
    [Function(nameof(EvaluateChampion))]
    public async Task<ChampionEvaluation> RunAsync([ActivityTrigger] EvaluateChampionInput input, CancellationToken cancellationToken)
    {
        if (await models.GetAliasAsync(input.Model, ModelStore.Production, cancellationToken) is not { } version
            || await models.GetManifestAsync(input.Model, version, cancellationToken) is not { } manifest)
        {
            return new ChampionEvaluation(null, null, null);
        }

        var cached = cache.TestSplit(input.Split);
        PreparedDataCache.Report(logger, null, nameof(EvaluateChampion), input.TestBlob, cached is not null);
        var test = cached ?? await runs.ReadTableAsync(BlobPath.Parse(input.TestBlob), cancellationToken);
        if (Incompatibility(manifest.Schema, test) is { } reason)
        {
            return new ChampionEvaluation(version, null, reason);
        }

        var champion = ModelTrainer.Load((await models.GetModelAsync(input.Model, version, cancellationToken)).ToStream());
        return new ChampionEvaluation(version, ModelEvaluator.Evaluate(champion, manifest.Schema.Features, test, input.TrainingMean), null);
    }

    // Why the champion cannot be scored on this data, or null when it can: same label, and every feature it
    // needs present with the same kind.
    private static string? Incompatibility(ModelSchema schema, Dataset test)
    {
        if (schema.Label != test.Label)
        {
            return $"it predicts '{schema.Label}', this run predicts '{test.Label}'";
        }

        var missing = schema.Features.FirstOrDefault(f => !test.Table.Contains(f.Name) || test.Table[f.Name].Kind != f.Kind);
        return missing is null ? null
            : test.Table.Contains(missing.Name) ? $"its feature '{missing.Name}' is {missing.Kind.ToString().ToLowerInvariant()} there but not here"
            : $"its feature '{missing.Name}' is not in this data";
    }
}
