using System.Text.Json;
using ServerlessML.Storage;

namespace ServerlessML.Serving;

/// <summary>
/// A predict request as far as its body has been read before its values: the model (and optionally the version) to
/// score with, and whether the values are positional rows or instances keyed by feature. The values are read
/// later, in one pass straight into a batch for that model, by <see cref="FeatureBatchReader"/>, which also
/// checks the rest of the body: the body is never built into a DOM.
/// </summary>
public sealed record PredictionRequest(string Model, int? Version, ReadOnlyMemory<byte> Body, bool Rows)
{
    /// <summary>The name of the array the values are in.</summary>
    public string Values => Rows ? "rows" : "instances";

    /// <summary>Reads the body's top level up to the first array of values.</summary>
    public static PredictionRequest Parse(ReadOnlyMemory<byte> body) =>
        JsonBody.Guard(() =>
        {
            var reader = new Utf8JsonReader(body.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidRequestException("The body must be an object: {\"model\": \"…\", \"instances\": [{…}]} or {\"model\": \"…\", \"rows\": [[…]]}.");
            }

            var header = new Header();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (header.Read(ref reader) is { } rows)
                {
                    return new PredictionRequest(header.ModelName, header.Version, body, rows);
                }

                reader.Skip();
            }

            throw Header.NoValues();
        });

    /// <summary>The model and version the whole body names, skipping over its values.</summary>
    public (string Model, int? Version) Target() =>
        JsonBody.Guard(() =>
        {
            var reader = new Utf8JsonReader(Body.Span);
            var header = new Header();
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                header.Read(ref reader);
                reader.Skip();
            }

            return (header.ModelName, header.Version);
        });

    /// <summary>The top-level properties other than the values: what they say, and the errors they can raise.</summary>
    internal sealed class Header
    {
        public string? Model { get; private set; }

        public int? Version { get; private set; }

        public string ModelName => ResourceName.Check(Model ?? ResourceName.DefaultModel, "model");

        /// <summary>Reads the property the reader is on and moves to its value; returns whether it starts an array of
        /// values (true: rows, false: instances), or null for model, version, or null values.</summary>
        public bool? Read(ref Utf8JsonReader reader)
        {
            var isModel = reader.ValueTextEquals("model"u8);
            var isVersion = reader.ValueTextEquals("version"u8);
            var isRows = reader.ValueTextEquals("rows"u8);
            if (!isModel && !isVersion && !isRows && !reader.ValueTextEquals("instances"u8))
            {
                throw new InvalidRequestException($"The body has '{reader.GetString()}', which is not understood. It takes model, version, and instances or rows.");
            }

            var name = isModel ? "model" : isVersion ? "version" : isRows ? "rows" : "instances";
            reader.Read();
            if (isModel)
            {
                Model = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.String => reader.GetString(),
                    _ => throw new InvalidRequestException("'model' must be a string."),
                };
                return null;
            }

            if (isVersion)
            {
                Version = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.Number when reader.TryGetInt32(out var number) && number > 0 => number,
                    _ => throw new InvalidRequestException("'version' must be a positive whole number."),
                };
                return null;
            }

            return reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.StartArray => isRows,
                _ => throw new InvalidRequestException($"'{name}' must be an array."),
            };
        }

        public static InvalidRequestException NoValues() =>
            new("Send either 'instances' (an array of objects keyed by feature name) or 'rows' (an array of value arrays in feature order), not both or neither.");
    }
}
