using System.Text.Json;
using ServerlessML.Storage;

namespace ServerlessML.Serving;

/// <summary>
/// A predict request as far as its body has been read before its values: the model version to score with, whether the
/// values are positional rows or instances keyed by feature, and where they start. The values are read later, straight
/// into a batch for that model, by <see cref="FeatureBatchReader"/>, which goes on from where this stopped (the JSON
/// reader's saved state) and reads the rest of the body with them, so the body is read once, and never built into a DOM.
/// </summary>
public sealed class PredictionRequest
{
    private readonly Header _header;
    private readonly ReadOnlyMemory<byte> _body;
    private readonly int _valuesStart;
    private readonly JsonReaderState _valuesState;

    private PredictionRequest(Header header, ReadOnlyMemory<byte> body, bool rows, int valuesStart, JsonReaderState valuesState)
    {
        _header = header;
        Target = header.Target;
        _body = body;
        Rows = rows;
        _valuesStart = valuesStart;
        _valuesState = valuesState;
    }

    /// <summary>The model version the body names before its values.</summary>
    public ModelTarget Target { get; }

    /// <summary>Whether the values are positional rows (true) or instances keyed by feature (false).</summary>
    public bool Rows { get; }

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
                    return new PredictionRequest(header, body, rows, checked((int)reader.BytesConsumed), reader.CurrentState);
                }

                reader.Skip();
            }

            throw Header.NoValues();
        });
    }

    /// <summary>A reader on the values' opening bracket, where <see cref="Parse"/> stopped: its first read is the first
    /// value. It carries the line and byte positions on, so errors past this point still say where they are.</summary>
    internal Utf8JsonReader ValuesReader() => new(_body.Span[_valuesStart..], isFinalBlock: true, _valuesState);

    /// <summary>The header as read before the values, to go on reading after them.</summary>
    internal Header HeaderBeforeValues() => _header.Copy();

    /// <summary>The model version the whole body names, skipping over its values: for when the one named before them
    /// does not exist, and one named after them may.</summary>
    public ModelTarget WholeTarget() =>
        JsonBody.Guard(() =>
        {
            var reader = ValuesReader();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
            }

            var header = HeaderBeforeValues();
            header.ReadAfterValues(ref reader, Rows);
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

        /// <summary>Reads the properties after the values, and past the closing brace: anything but whitespace there is
        /// refused by the reader, not ignored.</summary>
        public void ReadAfterValues(ref Utf8JsonReader reader, bool rows)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // The same array twice is refused as a repeated name; the other one is both rows and instances.
                if (Read(ref reader) is { } more && more != rows)
                {
                    throw NoValues();
                }
            }

            reader.Read();
        }

        public Header Copy() => (Header)MemberwiseClone();

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
