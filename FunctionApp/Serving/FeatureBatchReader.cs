using System.Text.Json;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Serving;

/// <summary>
/// Turns the instances of a predict request into a <see cref="FeatureBatch"/>, checking each against the model's
/// schema: every feature present, none extra, numbers for numeric features, text (or numbers) for categories,
/// null for a missing value.
/// </summary>
public sealed class FeatureBatchReader(ModelSchema schema, string model)
{
    private readonly Dictionary<string, int> _index = schema.Features.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
    private readonly int[] _slots = Slots(schema);

    public FeatureBatch FromInstances(JsonElement instances)
    {
        var batch = new FeatureBatch(schema, instances.GetArrayLength());
        var row = 0;
        foreach (var instance in instances.EnumerateArray())
        {
            if (instance.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidRequestException($"instances[{row}] must be an object of feature values, like {Example(schema)}.");
            }

            var seen = 0;
            foreach (var property in instance.EnumerateObject())
            {
                // Clients mostly send features in the schema's order: comparing in place avoids a string per name.
                var feature = seen < schema.Features.Count && property.NameEquals(schema.Features[seen].Name) ? seen : -1;
                if (feature < 0 && !_index.TryGetValue(property.Name, out feature))
                {
                    throw new InvalidRequestException(property.Name == schema.Label
                        ? $"instances[{row}] has '{property.Name}', the label that model '{model}' predicts; leave it out."
                        : $"instances[{row}] has '{property.Name}', which is not a feature of model '{model}'. Its features are {Names(schema)}.");
                }

                if (Set(batch, row, feature, property.Value) is { } problem)
                {
                    throw new InvalidRequestException($"instances[{row}].{property.Name} {problem}");
                }

                seen++;
            }

            if (seen != schema.Features.Count)
            {
                var missing = schema.Features.FirstOrDefault(f => !instance.TryGetProperty(f.Name, out _));
                throw new InvalidRequestException(missing is null
                    ? $"instances[{row}] names a feature more than once."
                    : $"instances[{row}] has no '{missing.Name}'. Model '{model}' needs every feature: {Names(schema)} (use null for a missing value).");
            }

            row++;
        }

        return batch;
    }

    public FeatureBatch FromRows(JsonElement rows)
    {
        var batch = new FeatureBatch(schema, rows.GetArrayLength());
        var row = 0;
        foreach (var values in rows.EnumerateArray())
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != schema.Features.Count)
            {
                throw new InvalidRequestException(
                    $"rows[{row}] must be an array of {schema.Features.Count} values, in the order {Names(schema)}; model '{model}' takes no label.");
            }

            var feature = 0;
            foreach (var value in values.EnumerateArray())
            {
                if (Set(batch, row, feature, value) is { } problem)
                {
                    throw new InvalidRequestException($"rows[{row}][{feature}] ('{schema.Features[feature].Name}') {problem}");
                }

                feature++;
            }

            row++;
        }

        return batch;
    }

    // Stores one value; returns what is wrong with it (to follow its path in the error), or null.
    private string? Set(FeatureBatch batch, int row, int feature, JsonElement value)
    {
        var slot = _slots[feature];
        if (schema.Features[feature].Kind == ColumnKind.Numeric)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    batch.Numbers[(row * batch.NumericCount) + slot] = float.NaN;
                    return null;
                case JsonValueKind.Number when value.TryGetSingle(out var number) && float.IsFinite(number):
                    batch.Numbers[(row * batch.NumericCount) + slot] = number;
                    return null;
                case JsonValueKind.Number:
                    return $"is {value.GetRawText()}, out of range for a 32-bit number.";
                default:
                    return $"must be a number or null, not {Describe(value)}.";
            }
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                batch.Texts[(row * batch.TextCount) + slot] = ReadOnlyMemory<char>.Empty;
                return null;
            case JsonValueKind.String:
                batch.Texts[(row * batch.TextCount) + slot] = value.GetString().AsMemory();
                return null;
            case JsonValueKind.Number:
                batch.Texts[(row * batch.TextCount) + slot] = value.GetRawText().AsMemory();
                return null;
            default:
                return $"must be a string or null, not {Describe(value)}.";
        }
    }

    // Each feature's position among the numeric or among the categorical features.
    private static int[] Slots(ModelSchema schema)
    {
        var numeric = 0;
        var text = 0;
        return schema.Features.Select(f => f.Kind == ColumnKind.Numeric ? numeric++ : text++).ToArray();
    }

    private static string Names(ModelSchema schema) =>
        string.Join(", ", schema.Features.Select(f => $"'{f.Name}' ({(f.Kind == ColumnKind.Numeric ? "number" : "text")})"));

    private static string Example(ModelSchema schema) =>
        "{" + string.Join(", ", schema.Features.Take(3).Select(f => $"\"{f.Name}\": {(f.Kind == ColumnKind.Numeric ? "1.5" : $"\"{(f.Levels is { Count: > 0 } levels ? levels[0] : "a")}\"")}")) + "}";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };
}
