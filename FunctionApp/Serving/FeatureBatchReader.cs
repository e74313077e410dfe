using System.Text;
using System.Text.Json;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Serving;

/// <summary>
/// Reads the instances or rows of a predict request straight from the JSON into a <see cref="FeatureBatch"/> for one
/// model, checking each against its schema: every feature present, none extra, numbers for numeric features, text
/// (or numbers) for categories, null for a missing value. Errors name the value's path, e.g. <c>instances[3].size</c>.
/// </summary>
public sealed class FeatureBatchReader
{
    // Known levels are recognised in place, without a string per value; a long list is not worth scanning.
    private const int MaxLevelsToScan = 32;

    private readonly ModelSchema _schema;
    private readonly string _model;
    private readonly Dictionary<string, int> _index;
    private readonly int[] _slots;
    private readonly byte[][] _utf8Names;
    private readonly (string Level, byte[] Utf8)[]?[] _levels;

    public FeatureBatchReader(ModelSchema schema, string model)
    {
        _schema = schema;
        _model = model;
        _index = schema.Features.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var numeric = 0;
        var text = 0;
        _slots = schema.Features.Select(f => f.Kind == ColumnKind.Numeric ? numeric++ : text++).ToArray();
        _utf8Names = schema.Features.Select(f => Encoding.UTF8.GetBytes(f.Name)).ToArray();
        _levels = schema.Features
            .Select(f => f.Levels is { Count: > 0 and <= MaxLevelsToScan } levels ? levels.Select(l => (l, Encoding.UTF8.GetBytes(l))).ToArray() : null)
            .ToArray();
    }

    /// <summary>
    /// Reads the request's values into a batch, and the whole top level with them: the model and version it names
    /// (a property written after the values can change them; the caller then reads again for that model).
    /// </summary>
    public (FeatureBatch Batch, string Model, int? Version) Read(PredictionRequest request, int maxInstances) =>
        JsonBody.Guard(() =>
        {
            var batch = new FeatureBatch(_schema, 0);
            var header = new PredictionRequest.Header();
            var reader = new Utf8JsonReader(request.Body.Span);
            var valuesRead = false;
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (header.Read(ref reader) is not { } rows)
                {
                    continue;
                }

                if (valuesRead || rows != request.Rows)
                {
                    throw PredictionRequest.Header.NoValues();
                }

                ReadValues(ref reader, batch, request, maxInstances);
                valuesRead = true;
            }

            return (batch, header.ModelName, header.Version);
        });

    private void ReadValues(ref Utf8JsonReader reader, FeatureBatch batch, PredictionRequest request, int maxInstances)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (batch.Rows == maxInstances)
            {
                throw TooMany(request, maxInstances, "more");
            }

            var row = batch.AddRow();
            if (request.Rows)
            {
                ReadRow(ref reader, batch, row);
            }
            else
            {
                ReadInstance(ref reader, batch, row);
            }
        }

        if (batch.Rows == 0)
        {
            throw TooMany(request, maxInstances, "0");
        }
    }

    private static InvalidRequestException TooMany(PredictionRequest request, int maxInstances, string got) =>
        new($"Send between 1 and {maxInstances:N0} {request.Values} per request; got {got}.");

    private void ReadInstance(ref Utf8JsonReader reader, FeatureBatch batch, int row)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidRequestException($"instances[{row}] must be an object of feature values, like {Example()}.");
        }

        var seen = 0;
        var present = 0UL;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Clients mostly send features in the schema's order: comparing in place avoids a string per name.
            var feature = seen < _utf8Names.Length && reader.ValueTextEquals(_utf8Names[seen]) ? seen : Lookup(reader.GetString()!, row);
            if (feature < 64 && (present & (1UL << feature)) != 0)
            {
                throw new InvalidRequestException($"instances[{row}] names '{_schema.Features[feature].Name}' more than once.");
            }

            present |= feature < 64 ? 1UL << feature : 0;
            reader.Read();
            if (Set(ref reader, batch, row, feature) is { } problem)
            {
                throw new InvalidRequestException($"instances[{row}].{_schema.Features[feature].Name} {problem}");
            }

            seen++;
        }

        if (seen != _schema.Features.Count)
        {
            var missing = _schema.Features.Where((_, i) => i >= 64 || (present & (1UL << i)) == 0).First();
            throw new InvalidRequestException(
                $"instances[{row}] has no '{missing.Name}'. Model '{_model}' needs every feature: {Names()} (use null for a missing value).");
        }
    }

    private void ReadRow(ref Utf8JsonReader reader, FeatureBatch batch, int row)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongRow(row);
        }

        var feature = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (feature == _schema.Features.Count)
            {
                throw WrongRow(row);
            }

            if (Set(ref reader, batch, row, feature) is { } problem)
            {
                throw new InvalidRequestException($"rows[{row}][{feature}] ('{_schema.Features[feature].Name}') {problem}");
            }

            feature++;
        }

        if (feature != _schema.Features.Count)
        {
            throw WrongRow(row);
        }
    }

    private int Lookup(string name, int row) =>
        _index.TryGetValue(name, out var feature) ? feature
        : throw new InvalidRequestException(name == _schema.Label
            ? $"instances[{row}] has '{name}', the label that model '{_model}' predicts; leave it out."
            : $"instances[{row}] has '{name}', which is not a feature of model '{_model}'. Its features are {Names()}.");

    // Stores the value the reader is on; returns what is wrong with it (to follow its path in the error), or null.
    private string? Set(ref Utf8JsonReader reader, FeatureBatch batch, int row, int feature)
    {
        var slot = _slots[feature];
        if (_schema.Features[feature].Kind == ColumnKind.Numeric)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    batch.Numbers[(row * batch.NumericCount) + slot] = float.NaN;
                    return null;
                case JsonTokenType.Number when NumberParser.TryParse(reader.ValueSpan, out var number) && float.IsFinite(number):
                    batch.Numbers[(row * batch.NumericCount) + slot] = number;
                    return null;
                case JsonTokenType.Number:
                    return $"is {Encoding.UTF8.GetString(reader.ValueSpan)}, out of range for a 32-bit number.";
                default:
                    return $"must be a number or null, not {Describe(ref reader)}.";
            }
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                batch.Texts[(row * batch.TextCount) + slot] = ReadOnlyMemory<char>.Empty;
                return null;
            case JsonTokenType.String:
                batch.Texts[(row * batch.TextCount) + slot] = (KnownLevel(ref reader, feature) ?? reader.GetString()).AsMemory();
                return null;
            case JsonTokenType.Number:
                batch.Texts[(row * batch.TextCount) + slot] = Encoding.UTF8.GetString(reader.ValueSpan).AsMemory();
                return null;
            default:
                return $"must be a string or null, not {Describe(ref reader)}.";
        }
    }

    private string? KnownLevel(ref Utf8JsonReader reader, int feature)
    {
        foreach (var (level, utf8) in _levels[feature] ?? [])
        {
            if (reader.ValueTextEquals(utf8))
            {
                return level;
            }
        }

        return null;
    }

    private InvalidRequestException WrongRow(int row) =>
        new($"rows[{row}] must be an array of {_schema.Features.Count} values, in the order {Names()}; model '{_model}' takes no label.");

    private string Names() =>
        string.Join(", ", _schema.Features.Select(f => $"'{f.Name}' ({(f.Kind == ColumnKind.Numeric ? "number" : "text")})"));

    private string Example() =>
        "{" + string.Join(", ", _schema.Features.Take(3).Select(f => $"\"{f.Name}\": {(f.Kind == ColumnKind.Numeric ? "1.5" : $"\"{(f.Levels is { Count: > 0 } levels ? levels[0] : "a")}\"")}")) + "}";

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{reader.GetString()}\"",
        JsonTokenType.True or JsonTokenType.False => $"the boolean {(reader.TokenType == JsonTokenType.True ? "true" : "false")}",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => Encoding.UTF8.GetString(reader.ValueSpan),
    };
}
