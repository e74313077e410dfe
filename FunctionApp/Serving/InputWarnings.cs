using System.Globalization;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Serving;

/// <summary>Something to know about one instance's value before trusting its prediction; not an error.</summary>
public sealed record PredictionWarning(int Instance, string Feature, string Message);

/// <summary>
/// Finds the values a model never saw in training, from the ranges and levels its manifest records: a number outside
/// its feature's training range (the model extrapolates) or a category it was not trained on (it gets no effect of its
/// own). A manifest without them (written before they were recorded) gives no warnings. Immutable: one per model.
/// </summary>
public sealed class InputWarnings
{
    /// <summary>Enough to see what is wrong; a batch of thousands of odd rows should not make the answer many times larger.</summary>
    public const int MaxWarnings = 100;

    private readonly ModelSchema _schema;
    private readonly int[] _slots;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>>?[] _levels;

    public InputWarnings(ModelSchema schema)
    {
        _schema = schema;
        var numeric = 0;
        var text = 0;
        _slots = schema.Features.Select(f => f.Kind == ColumnKind.Numeric ? numeric++ : text++).ToArray();
        _levels = schema.Features
            .Select(f => f is { Kind: ColumnKind.Categorical, Levels: { } levels }
                ? new HashSet<string>(levels, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>()
                : (HashSet<string>.AlternateLookup<ReadOnlySpan<char>>?)null)
            .ToArray();
    }

    /// <summary>The warnings for a batch, instance by instance, at most <see cref="MaxWarnings"/> and then a count of the
    /// rest; null when there are none.</summary>
    public IReadOnlyList<PredictionWarning>? Check(FeatureBatch batch)
    {
        List<PredictionWarning>? warnings = null;
        var more = 0;
        for (var row = 0; row < batch.Rows; row++)
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                if (Check(batch, row, i) is not { } message)
                {
                    continue;
                }

                warnings ??= [];
                if (warnings.Count < MaxWarnings)
                {
                    warnings.Add(new PredictionWarning(row, _schema.Features[i].Name, message));
                }
                else
                {
                    more++;
                }
            }
        }

        if (more > 0)
        {
            warnings!.Add(new PredictionWarning(-1, "", $"{more} more warning{(more == 1 ? "" : "s")} not listed."));
        }

        return warnings;
    }

    private string? Check(FeatureBatch batch, int row, int feature)
    {
        var schema = _schema.Features[feature];
        if (schema.Kind == ColumnKind.Numeric)
        {
            var value = batch.Numbers[(row * batch.NumericCount) + _slots[feature]];
            return float.IsNaN(value) || schema is not { Min: { } min, Max: { } max } ? null
                : value < min ? $"{Format(value)} is below the training range, {Format(min)} to {Format(max)}: the prediction extrapolates."
                : value > max ? $"{Format(value)} is above the training range, {Format(min)} to {Format(max)}: the prediction extrapolates."
                : null;
        }

        var text = batch.Texts[(row * batch.TextCount) + _slots[feature]];
        return text.IsEmpty || _levels[feature] is not { } levels || levels.Contains(text.Span) ? null
            : $"'{text}' was never seen in training, so it has no effect of its own on the prediction.{Known(schema)}";
    }

    private static string Known(FeatureSchema feature) =>
        feature.Levels is { Count: > 0 and <= 10 } levels ? $" Known: {string.Join(", ", levels)}." : "";

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
