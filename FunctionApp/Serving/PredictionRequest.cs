using System.Text.Json;
using ServerlessML.Storage;

namespace ServerlessML.Serving;

/// <summary>
/// A predict request as far as its body has been read before its values: the model version to score with, and
/// whether the values are positional rows or instances keyed by feature. The values are read later, in one pass
/// straight into a batch for that model, by <see cref="FeatureBatchReader"/>, which also checks the rest of the body:
/// the body is never built into a DOM.
/// </summary>
public sealed record PredictionRequest(ModelTarget Target, ReadOnlyMemory<byte> Body, bool Rows)
{
    /// <summary>The name of the array the values are in.</summary>
    public string Values => Rows ? "rows" : "instances";

    /// <summary>Reads the body's top level up to the first array of values.</summary>
    public static PredictionRequest Parse(ReadOnlyMemory<byte> body)
    {
        body = JsonBody.Checked(body);
        return JsonBody.Guard(() =>
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
                    return new PredictionRequest(header.Target, body, rows);
                }

                reader.Skip();
            }

            throw Header.NoValues();
        });
    }

    /// <summary>The model version the whole body names, skipping over its values.</summary>
    public ModelTarget WholeTarget() =>
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

            return header.Target;
        });

    /// <summary>The top-level properties other than the values: what they say, and the errors they can raise.</summary>
    internal sealed class Header
    {
        private static readonly string[] s_names = ["model", "version", "rows", "instances"];

        private string? _model;
        private int? _version;
        private string? _alias;
        private int _seen;

        public ModelTarget Target => new(ResourceName.Check(_model ?? ResourceName.DefaultModel, "model"), _version, _alias);

        /// <summary>Reads the property the reader is on and moves to its value; returns whether it starts an array of
        /// values (true: rows, false: instances), or null for model, version, or null values.</summary>
        public bool? Read(ref Utf8JsonReader reader)
        {
            var index = reader.ValueTextEquals("model"u8) ? 0
                : reader.ValueTextEquals("version"u8) ? 1
                : reader.ValueTextEquals("rows"u8) ? 2
                : reader.ValueTextEquals("instances"u8) ? 3
                : throw new InvalidRequestException($"The body has '{reader.GetString()}', which is not understood. It takes model, version, and instances or rows.");
            var name = s_names[index];
            if ((_seen & (1 << index)) != 0)
            {
                // A repeated name would silently take the last value.
                throw new InvalidRequestException($"The body has '{name}' more than once; give it once.");
            }

            _seen |= 1 << index;

            reader.Read();
            switch (name)
            {
                case "model":
                    _model = reader.TokenType switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.String => reader.GetString(),
                        _ => throw new InvalidRequestException($"'model' must be a string such as \"houses\"; got {Raw(ref reader)}."),
                    };
                    return null;
                case "version":
                    ReadVersion(ref reader);
                    return null;
            }

            return reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.StartArray => name == "rows",
                _ => throw new InvalidRequestException($"'{name}' must be an array; got {Raw(ref reader)}."),
            };
        }

        public static InvalidRequestException NoValues() =>
            new("Send either 'instances' (an array of objects keyed by feature name) or 'rows' (an array of value arrays in feature order), not both or neither.");

        // A number is a version; a string is an alias ("production", "latest", or one of your own).
        private void ReadVersion(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return;
                case JsonTokenType.Number when reader.TryGetInt32(out var number) && number > 0:
                    _version = number;
                    return;
                case JsonTokenType.String:
                    var alias = reader.GetString()!;
                    _alias = ResourceName.IsValid(alias)
                        ? alias
                        : throw new InvalidRequestException($"'version' is a version number such as 3 or an alias such as \"production\"; '{alias}' is neither (an alias is {ResourceName.Rule}).");
                    return;
                default:
                    throw new InvalidRequestException($"'version' must be a version number such as 3 or an alias such as \"production\"; got {Raw(ref reader)}.");
            }
        }

        private static string Raw(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => $"\"{reader.GetString()}\"",
            _ => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        };
    }
}
