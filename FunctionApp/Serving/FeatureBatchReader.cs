using System.Text.Json;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Serving;

/// <summary>
/// Turns the instances of a predict request into a <see cref="FeatureBatch"/>, checking each against the model's
/// schema: every feature present, none extra, numbers for numeric features, text (or numbers) for categories,
/// null for a missing value.
/// </summary>
public static class FeatureBatchReader
{
    public static FeatureBatch FromInstances(JsonElement instances, ModelSchema schema, string model)
    {
        var batch = new FeatureBatch(schema, instances.GetArrayLength());
        var index = schema.Features.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var slots = Slots(schema);
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
                if (!index.TryGetValue(property.Name, out var feature))
                {
                    throw new InvalidRequestException(property.Name == schema.Label
                        ? $"instances[{row}] has '{property.Name}', the label that model '{model}' predicts; leave it out."
                        : $"instances[{row}] has '{property.Name}', which is not a feature of model '{model}'. Its features are {Names(schema)}.");
                }

                Set(batch, schema, slots, row, feature, property.Value, $"instances[{row}].{property.Name}");
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

    public static FeatureBatch FromRows(JsonElement rows, ModelSchema schema, string model)
    {
        var batch = new FeatureBatch(schema, rows.GetArrayLength());
        var slots = Slots(schema);
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
                Set(batch, schema, slots, row, feature, value, $"rows[{row}][{feature}] ('{schema.Features[feature].Name}')");
                feature++;
            }

            row++;
        }

        return batch;
    }

    private static void Set(FeatureBatch batch, ModelSchema schema, int[] slots, int row, int feature, JsonElement value, string path)
    {
        var slot = slots[feature];
        if (schema.Features[feature].Kind == ColumnKind.Numeric)
        {
            batch.Numbers[(row * batch.NumericCount) + slot] = value.ValueKind switch
            {
                JsonValueKind.Null => float.NaN,
                JsonValueKind.Number when value.TryGetSingle(out var number) && float.IsFinite(number) => number,
                JsonValueKind.Number => throw new InvalidRequestException($"{path}: {value.GetRawText()} is out of range for a 32-bit number."),
                _ => throw new InvalidRequestException($"{path} must be a number or null, not {Describe(value)}."),
            };
        }
        else
        {
            batch.Texts[(row * batch.TextCount) + slot] = value.ValueKind switch
            {
                JsonValueKind.Null => ReadOnlyMemory<char>.Empty,
                JsonValueKind.String => value.GetString().AsMemory(),
                JsonValueKind.Number => value.GetRawText().AsMemory(),
                _ => throw new InvalidRequestException($"{path} must be a string or null, not {Describe(value)}."),
            };
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
