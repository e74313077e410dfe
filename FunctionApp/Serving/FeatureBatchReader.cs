using System.Text;
using System.Text.Json;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Serving;

/// <summary>
/// Reads the instances or rows of a predict request straight from the JSON into a <see cref="FeatureBatch"/> for one
/// model, checking each against its schema: every feature present once, none extra, numbers for numeric features,
/// strings for categories, null for a missing value. Errors name the value's path, e.g. <c>instances[3].size</c>.
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
    /// Reads the request's values into a batch, going on from where <see cref="PredictionRequest.Parse"/> stopped, and the
    /// rest of the body with them: the model version the whole body names (a property written after the values can
    /// change it; the caller then reads the values again for that model), and that nothing follows.
    /// </summary>
    public (FeatureBatch Batch, ModelTarget Target) Read(PredictionRequest request, int maxInstances) =>
        JsonBody.Guard(() =>
        {
            var batch = new FeatureBatch(_schema, 0);
            try
            {
                var reader = request.ValuesReader();
                ReadValues(ref reader, batch, request, maxInstances);
                var header = request.HeaderBeforeValues();
                header.ReadAfterValues(ref reader, request.Rows);
                return (batch, header.Target);
            }
            catch
            {
                batch.Dispose();
                throw;
            }
        });

    private void ReadValues(ref Utf8JsonReader reader, FeatureBatch batch, PredictionRequest request, int maxInstances)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (batch.Rows == maxInstances)
            {
                throw new LimitExceededException(
                    $"Send at most {maxInstances:N0} {request.Values} per request (Serving__MaxInstances); this one has more. Split it into several requests.");
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
            throw new InvalidRequestException($"Send between 1 and {maxInstances:N0} {request.Values} per request; got 0.");
        }
    }

    private void ReadInstance(ref Utf8JsonReader reader, FeatureBatch batch, int row)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidRequestException($"instances[{row}] must be an object of feature values, like {Example()}.");
        }

        var seen = 0;
        Span<ulong> present = _utf8Names.Length <= 64 * 16 ? stackalloc ulong[(_utf8Names.Length + 63) / 64] : new ulong[(_utf8Names.Length + 63) / 64];
        present.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Clients mostly send features in the schema's order: comparing in place avoids a string per name.
            var feature = seen < _utf8Names.Length && reader.ValueTextEquals(_utf8Names[seen]) ? seen : Lookup(reader.GetString()!, row);
            ref var word = ref present[feature / 64];
            var bit = 1UL << (feature % 64);
            if ((word & bit) != 0)
            {
                throw new InvalidRequestException($"instances[{row}] names '{_schema.Features[feature].Name}' more than once.");
            }

            word |= bit;
            reader.Read();
            if (Set(ref reader, batch, row, feature) is { } problem)
            {
                throw new InvalidRequestException($"instances[{row}].{_schema.Features[feature].Name} {problem}");
            }

            seen++;
        }

        if (seen != _schema.Features.Count)
        {
            var missing = _schema.Features[FirstAbsent(present)];
            throw new InvalidRequestException(
                $"instances[{row}] has no '{missing.Name}'. Model '{_model}' needs every feature: {Names()} (use null for a missing value).");
        }
    }

    private static int FirstAbsent(ReadOnlySpan<ulong> present)
    {
        for (var feature = 0; ; feature++)
        {
            if ((present[feature / 64] & (1UL << (feature % 64))) == 0)
            {
                return feature;
            }
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
                // A category is text: a number here would silently match no level (write "7" if "7" is the category).
                return $"must be a string or null, not the number {Encoding.UTF8.GetString(reader.ValueSpan)}; write it as \"{Encoding.UTF8.GetString(reader.ValueSpan)}\" if that is the category.";
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
