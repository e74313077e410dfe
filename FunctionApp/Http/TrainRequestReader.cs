using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Training;

namespace ServerlessML.Http;

/// <summary>
/// Reads and checks a <c>POST /api/train</c> request: a CSV or Parquet body with options in the query string, or JSON with the
/// options beside <c>data</c> (records or numeric rows), or a bare JSON array of rows, or the name of an uploaded
/// dataset. Everything is checked here, before anything is stored, so bad input never starts a training run.
/// </summary>
public sealed class TrainRequestReader(DatasetStore datasets, IOptions<TrainingOptions> options)
{
    public const double DefaultTestFraction = 0.2;
    public const int DefaultSeed = 42;

    private static readonly string[] s_bodyOptions = ["model", "label", "testFraction", "seed", "trainer", "folds", "sweep", "promote", "wait", "data", "dataset"];
    private static readonly string[] s_trainerOptions = ["name", "l2", "l1", "maxIterations"];
    private static readonly string[] s_queryOptions = ["model", "label", "testFraction", "seed", "trainer", "l2", "l1", "maxIterations", "folds", "sweep", "promote", "wait", "dataset"];

    /// <summary>Folds a sweep cross-validates with when the request does not say.</summary>
    public const int DefaultSweepFolds = 5;

    public async Task<TrainSubmission> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        QueryOptions.Check(request, s_queryOptions);

        // A named dataset needs no body at all: POST /api/train?dataset=houses.
        if (request.Query.ContainsKey("dataset") && request.ContentLength is null or 0 && request.ContentType is null)
        {
            var querySettings = new Settings(request.Query, body: null);
            return await NamedAsync(querySettings, cancellationToken);
        }

        var mediaType = RequestBody.MediaType(request);
        var isCsv = RequestBody.IsCsv(mediaType);
        if (RequestBody.IsParquet(mediaType))
        {
            return await ParquetAsync(request, cancellationToken);
        }

        if (!isCsv && !RequestBody.IsJson(mediaType))
        {
            throw RequestBody.UnsupportedMediaType(mediaType, $"text/csv (with a header row), {ParquetTableReader.MediaType} or application/json");
        }

        var encoding = isCsv ? RequestBody.CsvEncoding(request) : null;
        if (!isCsv)
        {
            RequestBody.CheckJsonCharset(request);
        }

        var body = await RequestBody.ReadAsync(request, options.Value.MaxRequestBytes, "Training__MaxRequestBytes", cancellationToken);
        if (isCsv)
        {
            var settings = new Settings(request.Query, body: null);
            if (settings.String("dataset") is not null)
            {
                throw new InvalidRequestException("Send the data either as the body or as ?dataset={name}, not both.");
            }

            if (StartsLikeJson(body))
            {
                throw new InvalidRequestException("The body is JSON, but its Content-Type says CSV: send it with Content-Type: application/json.");
            }

            var utf8 = encoding is null ? body : Encoding.UTF8.GetBytes(encoding.GetString(body));
            return Submission(settings, new InlineData(CsvTableReader.Read(utf8, ReadOptions(settings)), DatasetStore.Sha256(body)));
        }

        if (!StartsLikeJson(body) && body.AsSpan().IndexOf((byte)',') >= 0 && body.AsSpan().IndexOfAny("\r\n"u8) >= 0)
        {
            throw new InvalidRequestException("The body is not JSON; it looks like CSV: send it with Content-Type: text/csv.");
        }

        using var json = JsonBody.Parse(body);
        var root = json.RootElement;
        var jsonSettings = new Settings(request.Query, root.ValueKind == JsonValueKind.Object ? root : null);
        var hasData = root.ValueKind != JsonValueKind.Object || root.TryGetProperty("data", out _);
        if (jsonSettings.String("dataset") is not null)
        {
            return hasData
                ? throw new InvalidRequestException("Send either 'data' or 'dataset', not both.")
                : await NamedAsync(jsonSettings, cancellationToken);
        }

        if (!hasData)
        {
            throw new InvalidRequestException("The JSON body has neither 'data' nor 'dataset'. Send {\"data\": [...]} with records or numeric rows, or {\"dataset\": \"name\"} for an uploaded dataset.");
        }

        var data = root.ValueKind == JsonValueKind.Object ? root.GetProperty("data") : root;
        var dataset = JsonDatasetReader.Read(data, ReadOptions(jsonSettings));
        // The data's own text, as sent: the same records give the same hash whatever options are sent beside them.
        return Submission(jsonSettings, new InlineData(dataset, DatasetStore.Sha256(JsonMarshal.GetRawUtf8Value(data))));
    }

    // A Parquet file is checked and read once, here, like any body.
    private async Task<TrainSubmission> ParquetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var settings = new Settings(request.Query, body: null);
        if (settings.String("dataset") is not null)
        {
            throw new InvalidRequestException("Send the data either as the body or as ?dataset={name}, not both.");
        }

        var body = await RequestBody.ReadAsync(request, options.Value.MaxRequestBytes, "Training__MaxRequestBytes", cancellationToken);
        var dataset = await ParquetTableReader.ReadAsync(new MemoryStream(body, writable: false), ReadOptions(settings), cancellationToken);
        return Submission(settings, new InlineData(dataset, DatasetStore.Sha256(body)));
    }

    // A byte order mark, then whitespace, then what a JSON body starts with.
    private static bool StartsLikeJson(ReadOnlySpan<byte> body)
    {
        body = body.StartsWith("\uFEFF"u8) ? body[3..] : body;
        var start = body.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && body[start] is (byte)'{' or (byte)'[';
    }

    private async Task<TrainSubmission> NamedAsync(Settings settings, CancellationToken cancellationToken)
    {
        var name = ResourceName.Check(settings.String("dataset")!, "dataset");
        var summary = await datasets.GetAsync(name, cancellationToken)
            ?? throw new NotFoundException($"Dataset '{name}' does not exist. Upload it first with PUT /api/datasets/{name}.");
        var label = settings.String("label") ?? summary.Columns[^1].Name;
        CheckLimits(summary, label);
        var column = summary.Columns.FirstOrDefault(c => c.Name == label)
            ?? throw new InvalidDatasetException($"The label column '{label}' is not in dataset '{name}'. Its columns are: {string.Join(", ", summary.Columns.Select(c => $"'{c.Name}'"))}.");
        if (column.Kind != ColumnKind.Numeric)
        {
            throw new InvalidDatasetException($"The label '{label}' of dataset '{name}' holds text; the label must be numeric.");
        }

        if (column.Missing > 0)
        {
            throw new InvalidDatasetException($"The label '{label}' is empty in {column.Missing} row{(column.Missing == 1 ? "" : "s")} of dataset '{name}'; every row needs a label.");
        }

        return Submission(settings, new NamedData(summary, label));
    }

    // A dataset in the body meets the limits while it is read; a named one is checked from its summary, with its
    // categories as counted when it was profiled (a floor, and absent in older summaries: the run checks again).
    private void CheckLimits(DatasetSummary summary, string label)
    {
        var limits = options.Value.DatasetLimits();
        DatasetLimits.CheckColumns(summary.Columns.Count, limits.MaxColumns);
        foreach (var column in summary.Columns)
        {
            DatasetLimits.CheckLevels(column.Name, column.Levels ?? 0, limits.MaxCategoricalLevels);
        }

        var features = summary.Columns.Where(c => c.Name != label).Select(c => (c.Kind, c.Levels ?? 1));
        DatasetLimits.CheckCells(summary.Rows, DatasetLimits.Cells(summary.Rows, features), limits.MaxCells);
    }

    private DatasetReadOptions ReadOptions(Settings settings) => options.Value.DatasetLimits() with { Label = settings.String("label") };

    private TrainSubmission Submission(Settings settings, TrainingData data)
    {
        var model = ResourceName.Check(settings.String("model") ?? ResourceName.DefaultModel, "model");
        var testFraction = settings.Double("testFraction") ?? DefaultTestFraction;
        if (!(testFraction is > 0 and < 1))
        {
            throw new InvalidRequestException($"testFraction must be between 0 and 1 (exclusive), e.g. 0.2; got {testFraction}.");
        }

        DatasetSplit.TestRows(data.Rows, testFraction);
        var iterations = settings.Int("maxIterations");
        if (iterations is < 1 || iterations > options.Value.MaxIterations)
        {
            throw new InvalidRequestException(
                $"maxIterations must be between 1 and {options.Value.MaxIterations:N0} (Training__MaxIterations); got {iterations:N0}. Leave it out to let the trainer choose.");
        }

        var promote = settings.String("promote") switch
        {
            null or "auto" => PromotionPolicy.Auto,
            "always" => PromotionPolicy.Always,
            "never" => PromotionPolicy.Never,
            var other => throw new InvalidRequestException($"promote must be auto, always or never; got '{other}'."),
        };
        var trainerName = settings.TrainerName();
        var sweep = Sweep(settings.Sweep(), trainerName);
        var trainer = new TrainerOptions(settings.NonNegative("l2"), settings.NonNegative("l1"), iterations, sweep is null ? TrainerKindOf(trainerName) : TrainerKind.Sdca);
        if (sweep is not null && (trainer.L2 ?? trainer.L1 ?? (float?)trainer.MaxIterations) is not null)
        {
            throw new InvalidRequestException("A sweep chooses l2, l1 and maxIterations itself; leave them out, or train one trainer without sweep.");
        }

        var folds = settings.Int("folds") ?? (sweep is null ? 0 : DefaultSweepFolds);
        if (folds != 0 && folds is < CrossValidation.MinFolds or > CrossValidation.MaxFolds)
        {
            throw new InvalidRequestException($"folds must be between {CrossValidation.MinFolds} and {CrossValidation.MaxFolds}; got {folds}. Leave it out to train without cross-validation{(sweep is null ? "" : $" (a sweep then uses {DefaultSweepFolds})")}.");
        }

        // Each fold holds out at least two rows, so that its R² is defined.
        var trainRows = data.Rows - DatasetSplit.TestRows(data.Rows, testFraction);
        if (folds > 0 && trainRows < 2 * folds)
        {
            throw new InvalidRequestException($"{folds} folds need at least {2 * folds} training rows; this data has {trainRows} after the test split. Ask for fewer folds (folds=2 needs 4), or send more rows.");
        }

        if (!trainer.IsLinear && (trainer.L2 ?? trainer.L1 ?? (float?)trainer.MaxIterations) is not null)
        {
            throw new InvalidRequestException($"l2, l1 and maxIterations are settings of the sdca trainer; trainer={trainer.Name} takes none of them. Leave them out, or train with trainer=sdca.");
        }

        var wait = settings.Int("wait") ?? 0;
        if (wait < 0)
        {
            throw new InvalidRequestException($"wait is the seconds to wait for the result, 0 to {options.Value.MaxWaitSeconds}; got {wait}.");
        }

        // More than the cap waits the cap: the answer is the same 202 a shorter wait gives, never a wrong one.
        wait = Math.Min(wait, options.Value.MaxWaitSeconds);
        return new TrainSubmission(model, testFraction, settings.Int("seed") ?? DefaultSeed, trainer, promote, TimeSpan.FromSeconds(wait), data, folds, sweep);
    }

    // sweep=true tries every candidate, sweep=N the first N; trainer=auto is sweep=true. Null: no sweep.
    private SweepRequest? Sweep(int? sweep, string? trainer)
    {
        var auto = string.Equals(trainer, "auto", StringComparison.OrdinalIgnoreCase);
        var all = SweepCandidates.All.Count;
        var budget = options.Value.MaxSweepSeconds;
        return (sweep, auto) switch
        {
            (null, false) or (0, false) => null,
            (null, true) => new SweepRequest(all, budget),
            (0, true) => throw new InvalidRequestException("trainer=auto sweeps over the trainers; it cannot go with sweep=false. Name a trainer (sdca, fasttree, lightgbm) to train one."),
            (_, false) when trainer is not null => throw new InvalidRequestException($"A sweep chooses the trainer by cross-validated RMSE, so it cannot go with trainer={trainer}. Leave trainer out, or use trainer=auto."),
            ({ } count, _) => new SweepRequest(Math.Min(count, all), budget),
        };
    }

    private static TrainerKind TrainerKindOf(string? name) =>
        name is null ? TrainerKind.Sdca
        : TrainerOptions.Names.FirstOrDefault(n => string.Equals(n.Value, name, StringComparison.OrdinalIgnoreCase)) is { Value: not null } known ? known.Key
        : throw new InvalidRequestException(
            $"trainer must be {string.Join(", ", TrainerOptions.Names.Values)} or auto (a sweep); got '{name}'.{(QueryOptions.Closest(name, [.. TrainerOptions.Names.Values, "auto"]) is { } meant ? $" Did you mean '{meant}'?" : "")} Leave it out for sdca.");

    /// <summary>Options from the query string or the JSON body; naming one in both places is refused as ambiguous.</summary>
    private sealed class Settings
    {
        private readonly IQueryCollection _query;
        private readonly JsonElement? _body;
        private readonly JsonElement? _trainer;

        public Settings(IQueryCollection query, JsonElement? body)
        {
            _query = query;
            _body = body;
            if (body is not { } b)
            {
                return;
            }

            CheckNames(b, s_bodyOptions, "The JSON body");
            if (b.TryGetProperty("trainer", out var trainer) && trainer.ValueKind != JsonValueKind.Null)
            {
                if (trainer.ValueKind is not (JsonValueKind.Object or JsonValueKind.String))
                {
                    throw new InvalidRequestException("'trainer' must be a trainer's name such as \"fasttree\", or an object such as {\"name\": \"sdca\", \"l2\": 0.1, \"maxIterations\": 100}.");
                }

                if (trainer.ValueKind == JsonValueKind.Object)
                {
                    CheckNames(trainer, s_trainerOptions, "'trainer'");
                }

                _trainer = trainer;
            }
        }

        /// <summary>The trainer's name: <c>?trainer=</c>, or the body's <c>"trainer"</c> as a string or its <c>name</c>.</summary>
        public string? TrainerName()
        {
            var query = _query.TryGetValue("trainer", out var values) ? values.ToString() : null;
            JsonElement? body = _trainer is { ValueKind: JsonValueKind.String } name ? name
                : _trainer is { } options && options.TryGetProperty("name", out var named) && named.ValueKind != JsonValueKind.Null ? named
                : null;
            if (query is not null && body is not null)
            {
                throw new InvalidRequestException("'trainer' is given both in the query string and in the body; give it once.");
            }

            return body is not { } json ? query
                : json.ValueKind == JsonValueKind.String ? json.GetString()
                : throw Wrong("trainer", "a trainer's name such as \"fasttree\"", json);
        }

        /// <summary>sweep: true is every candidate (int.MaxValue), false is 0, a number is that many; null when not given.</summary>
        public int? Sweep()
        {
            var (body, query) = Raw("sweep");
            return body is { } json
                ? json.ValueKind switch
                {
                    JsonValueKind.True => int.MaxValue,
                    JsonValueKind.False => 0,
                    JsonValueKind.Number when json.TryGetInt32(out var count) && count > 0 => count,
                    _ => throw Wrong("sweep", "true, false or a number of candidates from 1", json),
                }
                : query is null ? null
                : bool.TryParse(query, out var on) ? (on ? int.MaxValue : 0)
                : int.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 ? number
                : throw Wrong("sweep", "true, false or a number of candidates from 1", query);
        }

        public string? String(string name)
        {
            var (body, query) = Raw(name);
            return body is not { } json ? query
                : json.ValueKind == JsonValueKind.String ? json.GetString()
                : throw Wrong(name, "a string", json);
        }

        public double? Double(string name)
        {
            var (body, query) = Raw(name);
            return body is { } json
                ? json.ValueKind == JsonValueKind.Number ? json.GetDouble() : throw Wrong(name, "a number", json)
                : query is null ? null
                : double.TryParse(query, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
                : throw Wrong(name, query.Contains(',', StringComparison.Ordinal) ? "a number with a decimal point, not a comma" : "a number", query);
        }

        public int? Int(string name)
        {
            var (body, query) = Raw(name);
            return body is { } json
                ? json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var number) ? number : throw Wrong(name, "a whole number", json)
                : query is null ? null
                : int.TryParse(query, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
                : throw Wrong(name, "a whole number", query);
        }

        public float? NonNegative(string name)
        {
            var value = Double(name);
            return value is null ? null
                : value is >= 0 and <= float.MaxValue ? (float)value
                : throw new InvalidRequestException($"{name} must be zero or a positive number; got {value}.");
        }

        // The option's value from the body (null JSON counts as not given) or from the query string.
        private (JsonElement? Body, string? Query) Raw(string name)
        {
            var query = _query.TryGetValue(name, out var values) ? values.ToString() : null;
            JsonElement? body = Find(name, out var element) && element.ValueKind != JsonValueKind.Null ? element : null;
            if (query is not null && body is not null)
            {
                throw new InvalidRequestException($"'{name}' is given both in the query string and in the body; give it once.");
            }

            return (body, query);
        }

        private static InvalidRequestException Wrong(string name, string expected, JsonElement value) =>
            new($"'{name}' must be {expected}; got {value.GetRawText()}.");

        private static InvalidRequestException Wrong(string name, string expected, string value) =>
            new($"Query parameter '{name}' must be {expected}; got '{value}'.");

        private bool Find(string name, out JsonElement element)
        {
            element = default;
            var container = s_trainerOptions.Contains(name) ? _trainer : _body;
            return container is { ValueKind: JsonValueKind.Object } c && c.TryGetProperty(name, out element);
        }

        private static void CheckNames(JsonElement element, string[] known, string where)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new InvalidRequestException(QueryOptions.Unknown($"{where} has '{property.Name}', which", property.Name, known));
                }

                if (!seen.Add(property.Name))
                {
                    // JSON would take the last one silently.
                    throw new InvalidRequestException($"{where} has '{property.Name}' more than once; give it once.");
                }
            }
        }
    }
}
