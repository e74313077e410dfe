using System.Text;
using ServerlessML.Tests.Infrastructure;
using static ServerlessML.Tests.LocalHost.CatalogueRequest;

namespace ServerlessML.Tests.LocalHost;

/// <summary>
/// Bad and odd requests, tried as a tester would: broken encodings, misnamed options, the wrong content type or
/// delimiter, bodies over a limit, names and versions that cannot exist. Each is answered with a 4xx problem that says
/// what to fix (or, for the odd but valid ones, a 2xx), and none of them stores anything.
/// </summary>
internal static class RequestCatalogue
{
    /// <summary>The model the catalogue's fixture trains on samples/houses.csv; production and latest are its v1.</summary>
    public const string Model = "catalogue";

    /// <summary>samples/houses.csv, uploaded.</summary>
    public const string Dataset = "catalogue-data";

    /// <summary>A dataset whose text column has more distinct values than a category may have.</summary>
    public const string IdsDataset = "catalogue-ids";

    /// <summary>A dataset over the fixture's Training:MaxCells.</summary>
    public const string BigDataset = "catalogue-big";

    /// <summary>The model name train requests use: anything staged for it would be found.</summary>
    private const string Bad = "catalogue-bad";

    private const string Instance = """{"size": 70, "rooms": 3, "year": 1985, "distance": 4.5, "city": "Oslo", "type": "apartment"}""";
    private const string Row = """[70, 3, 1985, 4.5, "Oslo", "apartment"]""";
    private const string Json = "application/json";
    private const string Csv = "text/csv";
    private const string Durable = "/runtime/webhooks/durabletask";

    private static readonly string s_train = $"/api/train?model={Bad}";
    private static readonly string s_records = """[{"x": 1, "city": "Oslo", "y": 2}, {"x": 2, "city": "Bergen", "y": 3}, {"x": 3, "city": "Oslo", "y": 4}, {"x": 4, "city": "Bergen", "y": 5}, {"x": 5, "city": "Oslo", "y": 6}]""";
    private static readonly string s_csv = "x,city,y\n1,Oslo,2\n2,Bergen,3\n3,Oslo,4\n4,Bergen,5\n5,Oslo,6\n";
    private static readonly Dictionary<string, string> s_gzip = new() { ["Content-Encoding"] = "gzip" };

    public static byte[] Houses { get; } = File.ReadAllBytes(Path.Combine(Azurite.RepoRoot(), "samples", "houses.csv"));

    public static IEnumerable<TestCaseData> Cases() =>
        Encodings().Concat(PredictBodies()).Concat(TrainOptions()).Concat(TrainJson()).Concat(TrainCsv())
            .Concat(NamedDatasets()).Concat(DatasetUploads()).Concat(DatasetReads()).Concat(Models()).Concat(Aliases())
            .Concat(Routes()).Concat(OddButValid())
            .Select(c => c.ToTestCase());

    /// <summary>Text that is not UTF-8, or not the encoding it says: the 500s and the silent U+FFFD of the findings.</summary>
    private static IEnumerable<CatalogueRequest> Encodings()
    {
        const string c = "encoding";
        yield return new(c, "predict value not UTF-8", "POST", "/api/predict", Bytes($$"""{"model": "{{Model}}", "instances": [{"size": 70, "rooms": 3, "year": 1985, "distance": 4.5, "city": "Troms""", [0xF8], """ ", "type": "apartment"}]}"""), Json, 400, "The body is not UTF-8: line 1, byte 108 is the byte 0xF8");
        yield return new(c, "predict key not UTF-8", "POST", "/api/predict", Bytes($$"""{"model": "{{Model}}", "instances": [{"si""", [0xFF], """ze": 70}]}"""), Json, 400, "is the byte 0xFF. JSON must be UTF-8");
        yield return new(c, "predict model name not UTF-8", "POST", "/api/predict", Bytes("""{"model": "hous""", [0xE9], $$"""s", "rows": [{{Row}}]}"""), Json, 400, "The body is not UTF-8: line 1, byte 16");
        yield return new(c, "predict rows value not UTF-8", "POST", "/api/predict", Bytes($$"""{"model": "{{Model}}", "rows": [[70, 3, 1985, 4.5, "B""", [0xC3, 0x28], """rgen", "apartment"]]}"""), Json, 400, "is the byte 0xC3");
        yield return new(c, "predict lone surrogate in a value", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "rows": [[70, 3, 1985, 4.5, "\ud800", "apartment"]]}"""), Json, 400, "a string has a \\u escape that is half of a character");
        yield return new(c, "predict lone surrogate in a key", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "instances": [{"\udc00": 1}]}"""), Json, 400, "a name has a \\u escape that is half of a character");
        yield return new(c, "predict UTF-16 body", "POST", "/api/predict", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes($$"""{"model": "{{Model}}", "rows": [{{Row}}]}""")], Json, 400, "the body looks like UTF-16");
        yield return new(c, "predict charset=iso-8859-1", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "rows": [{{Row}}]}"""), $"{Json}; charset=iso-8859-1", 415, "charset 'iso-8859-1' is not supported for JSON");
        yield return new(c, "train JSON record value not UTF-8", "POST", "/api/train", Bytes($$"""{"model": "{{Bad}}", "data": [{"x": 1, "city": "Troms""", [0xF8], "\", \"y\": 2}]}"), Json, 400, "is the byte 0xF8");
        yield return new(c, "train JSON record key not UTF-8", "POST", "/api/train", Bytes($$"""{"model": "{{Bad}}", "data": [{"pri""", [0xE9], """x": 1, "y": 2}]}"""), Json, 400, "is the byte 0xE9");
        yield return new(c, "train JSON model name not UTF-8", "POST", "/api/train", Bytes("""{"model": "m""", [0xFF], $"\", \"data\": {s_records}}}"), Json, 400, "The body is not UTF-8: line 1, byte 13");
        yield return new(c, "train JSON lone surrogate in the label", "POST", "/api/train", Utf8($$"""{"model": "{{Bad}}", "label": "\ud83d", "data": {{s_records}}}"""), Json, 400, "half of a character");
        yield return new(c, "train JSON value not UTF-8 on line 3", "POST", "/api/train", Bytes($"{{\"model\": \"{Bad}\",\n\"data\": [{{\"x\": 1, \"y\": 2}},\n{{\"x\": \"", [0x80], "\", \"y\": 3}]}"), Json, 400, "line 3, byte 8 is the byte 0x80");
        yield return new(c, "train CSV Latin-1 value", "POST", s_train, Bytes("x,city,y\n1,Oslo,2\n2,Troms", [0xF8], ",3\n3,Oslo,4\n4,Bergen,5\n5,Oslo,6\n"), Csv, 400, "Line 3, column 'city': the text is not UTF-8 (its byte 6 is 0xF8)");
        yield return new(c, "train CSV Latin-1 column name", "POST", s_train, Bytes("x,pr", [0xE9], "x\n1,2\n2,3\n3,4\n4,5\n5,6\n"), Csv, 400, "Line 1, the name of column 2: the text is not UTF-8");
        yield return new(c, "train CSV Latin-1 label value", "POST", s_train, Bytes("x,y\n1,2\n2,", [0xB2], "\n3,4\n4,5\n5,6\n"), Csv, 400, "Line 3, column 'y': the text is not UTF-8");
        yield return new(c, "train CSV in UTF-16", "POST", s_train, [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(s_csv)], Csv, 400, "It looks like UTF-16: save it as UTF-8");
        yield return new(c, "train CSV charset=utf-16", "POST", s_train, Utf8(s_csv), $"{Csv}; charset=utf-16", 415, "charset 'utf-16' is not supported");
        yield return new(c, "train JSON charset=windows-1252", "POST", s_train, Utf8(s_records), $"{Json}; charset=windows-1252", 415, "is not supported for JSON");
        yield return new(c, "upload Latin-1 value", "PUT", "/api/datasets/catalogue-latin", Bytes("x,city,y\n1,Oslo,2\n2,Troms", [0xF8], ",3\n"), Csv, 400, "Line 3, column 'city': the text is not UTF-8");
        yield return new(c, "upload charset=shift_jis", "PUT", "/api/datasets/catalogue-sjis", Utf8(s_csv), $"{Csv}; charset=shift_jis", 415, "charset 'shift_jis' is not supported");
        yield return new(c, "alias body not UTF-8", "PUT", $"/api/models/{Model}/aliases/staging", Bytes("""{"versi""", [0xF5], """on": 1}"""), Json, 400, "The body is not UTF-8");
        yield return new(c, "alias body lone surrogate", "PUT", $"/api/models/{Model}/aliases/staging", Utf8("""{"\udbff": 1}"""), Json, 400, "half of a character");
    }

    private static IEnumerable<CatalogueRequest> PredictBodies()
    {
        const string c = "predict";
        CatalogueRequest Predict(string name, string body, int status, string detail, string contentType = Json) =>
            new(c, name, "POST", "/api/predict", Utf8(body), contentType, status, detail);

        yield return Predict("trailing garbage", $$"""{"model": "{{Model}}", "rows": [{{Row}}]} xyz""", 400, "'x' is invalid after a single JSON value");
        yield return Predict("two objects", $$"""{"model": "{{Model}}", "rows": [{{Row}}]}{"model": "x"}""", 400, "is invalid after a single JSON value");
        yield return Predict("model given twice", $$"""{"model": "{{Model}}", "model": "other", "rows": [{{Row}}]}""", 400, "The body has 'model' more than once; give it once.");
        yield return Predict("version given twice", $$"""{"model": "{{Model}}", "version": 1, "version": 2, "rows": [{{Row}}]}""", 400, "'version' more than once");
        yield return Predict("instances given twice", $$"""{"model": "{{Model}}", "instances": [{{Instance}}], "instances": [{{Instance}}]}""", 400, "'instances' more than once");
        yield return Predict("instances and rows", $$"""{"model": "{{Model}}", "instances": [{{Instance}}], "rows": [{{Row}}]}""", 400, "not both or neither");
        yield return Predict("feature given twice", $$"""{"model": "{{Model}}", "instances": [{"size": 70, "size": 80, "rooms": 3, "year": 1985, "distance": 4.5, "city": "Oslo", "type": "apartment"}]}""", 400, "instances[0] names 'size' more than once");
        yield return Predict("number for a category", $$"""{"model": "{{Model}}", "rows": [[70, 3, 1985, 4.5, 7, "apartment"]]}""", 400, "rows[0][4] ('city') must be a string or null, not the number 7");
        yield return Predict("string for a number", $$"""{"model": "{{Model}}", "instances": [{"size": "70", "rooms": 3, "year": 1985, "distance": 4.5, "city": "Oslo", "type": "apartment"}]}""", 400, "instances[0].size must be a number or null, not the string \"70\"");
        yield return Predict("boolean for a number", $$"""{"model": "{{Model}}", "rows": [[true, 3, 1985, 4.5, "Oslo", "apartment"]]}""", 400, "must be a number or null, not the boolean true");
        yield return Predict("object for a category", $$"""{"model": "{{Model}}", "rows": [[70, 3, 1985, 4.5, {"name": "Oslo"}, "apartment"]]}""", 400, "must be a string or null, not an object");
        yield return Predict("array for a number", $$"""{"model": "{{Model}}", "rows": [[[70], 3, 1985, 4.5, "Oslo", "apartment"]]}""", 400, "must be a number or null, not an array");
        yield return Predict("number out of range", $$"""{"model": "{{Model}}", "rows": [[1e39, 3, 1985, 4.5, "Oslo", "apartment"]]}""", 400, "is 1e39, out of range for a 32-bit number");
        yield return Predict("NaN literal", $$"""{"model": "{{Model}}", "rows": [[NaN, 3, 1985, 4.5, "Oslo", "apartment"]]}""", 400, "The body is not valid JSON at line 1");
        yield return Predict("label in an instance", $$"""{"model": "{{Model}}", "instances": [{"size": 70, "rooms": 3, "year": 1985, "distance": 4.5, "city": "Oslo", "type": "apartment", "price": 5}]}""", 400, "'price', the label that model 'catalogue' predicts; leave it out");
        yield return Predict("feature of another model", $$"""{"model": "{{Model}}", "instances": [{"size": 70, "rooms": 3, "year": 1985, "distance": 4.5, "city": "Oslo", "kind": "apartment"}]}""", 400, "'kind', which is not a feature of model 'catalogue'");
        yield return Predict("feature missing", $$"""{"model": "{{Model}}", "instances": [{"size": 70, "rooms": 3, "year": 1985, "distance": 4.5, "city": "Oslo"}]}""", 400, "instances[0] has no 'type'");
        yield return Predict("row too short", $$"""{"model": "{{Model}}", "rows": [[70, 3, 1985]]}""", 400, "rows[0] must be an array of 6 values");
        yield return Predict("row too long", $$"""{"model": "{{Model}}", "rows": [[70, 3, 1985, 4.5, "Oslo", "apartment", 5.9]]}""", 400, "rows[0] must be an array of 6 values");
        yield return Predict("row that is an object", $$"""{"model": "{{Model}}", "rows": [{{Instance}}]}""", 400, "rows[0] must be an array of 6 values");
        yield return Predict("instance that is an array", $$"""{"model": "{{Model}}", "instances": [{{Row}}]}""", 400, "instances[0] must be an object of feature values");
        yield return Predict("instances not an array", $$"""{"model": "{{Model}}", "instances": {{Instance}}}""", 400, "'instances' must be an array; got an object");
        yield return Predict("no instances", $$"""{"model": "{{Model}}", "instances": []}""", 400, "Send between 1 and 100,000 instances per request; got 0");
        yield return Predict("neither instances nor rows", $$"""{"model": "{{Model}}"}""", 400, "Send either 'instances'");
        yield return Predict("unknown property", $$"""{"model": "{{Model}}", "rows": [{{Row}}], "explain": true}""", 400, "The body has 'explain', which is not understood");
        yield return Predict("model not a string", $$"""{"model": 5, "rows": [{{Row}}]}""", 400, "'model' must be a string such as \"houses\"; got 5");
        yield return Predict("model name invalid", $$"""{"model": "Houses_2", "rows": [{{Row}}]}""", 400, "'Houses_2' is not a valid model name");
        yield return Predict("version 0", $$"""{"model": "{{Model}}", "version": 0, "rows": [{{Row}}]}""", 400, "'version' must be a version number such as 3 or an alias such as \"production\"; got 0");
        yield return Predict("version negative", $$"""{"model": "{{Model}}", "version": -1, "rows": [{{Row}}]}""", 400, "got -1");
        yield return Predict("version fractional", $$"""{"model": "{{Model}}", "version": 1.5, "rows": [{{Row}}]}""", 400, "got 1.5");
        yield return Predict("version boolean", $$"""{"model": "{{Model}}", "version": true, "rows": [{{Row}}]}""", 400, "got true");
        yield return Predict("version too large", $$"""{"model": "{{Model}}", "version": 99999999999, "rows": [{{Row}}]}""", 400, "got 99999999999");
        yield return Predict("version alias invalid", $$"""{"model": "{{Model}}", "version": "Prod!", "rows": [{{Row}}]}""", 400, "'Prod!' is neither");
        yield return Predict("version number as a string", $$"""{"model": "{{Model}}", "version": "1", "rows": [{{Row}}]}""", 404, "Model 'catalogue' has no alias '1'. For version 1, send \"version\": 1, a number.");
        yield return Predict("version like v1", $$"""{"model": "{{Model}}", "version": "v1", "rows": [{{Row}}]}""", 404, "For version 1, send \"version\": 1");
        yield return Predict("unknown alias", $$"""{"model": "{{Model}}", "version": "canary", "rows": [{{Row}}]}""", 404, "Model 'catalogue' has no alias 'canary'.");
        yield return Predict("unknown version", $$"""{"model": "{{Model}}", "version": 99, "rows": [{{Row}}]}""", 404, "Model 'catalogue' has no version 99");
        yield return Predict("unknown model", $$"""{"model": "catalogue-none", "rows": [{{Row}}]}""", 404, "Model 'catalogue-none' has no production version");
        yield return Predict("body an array", $"[{Instance}]", 400, "The body must be an object");
        yield return Predict("body null", "null", 400, "The body must be an object");
        yield return Predict("body a string", "\"houses\"", 400, "The body must be an object");
        yield return Predict("truncated", $$"""{"model": "{{Model}}", "rows": [[70, 3""", 400, "The body is not valid JSON");
        yield return Predict("single quotes", "{'model': 'catalogue'}", 400, "The body is not valid JSON at line 1, byte 2");
        yield return Predict("comment", $$"""{"model": "{{Model}}", /* production */ "rows": [{{Row}}]}""", 400, "The body is not valid JSON");
        yield return Predict("nested arrays for a value", $$"""{"model": "{{Model}}", "rows": [{{new string('[', 70)}}{{new string(']', 70)}}]}""", 400, "rows[0][0] ('size') must be a number or null, not an array");
        yield return Predict("whitespace only", " \n\t ", 400, "The request body is empty: it has only whitespace");
        yield return Predict("CSV as JSON", "size,rooms\n70,3\n", 400, "The body is not valid JSON");
        yield return Predict("content type text/plain", $$"""{"model": "{{Model}}", "rows": [{{Row}}]}""", 415, "Content-Type 'text/plain' is not supported; send application/json", "text/plain");
        yield return Predict("content type CSV", "size,rooms\n70,3\n", 415, "Content-Type 'text/csv' is not supported", Csv);
        yield return Predict("content type form (curl -d)", $$"""{"model": "{{Model}}", "rows": [{{Row}}]}""", 415, "curl -d sends this type", "application/x-www-form-urlencoded");
        yield return Predict("content type that is not a media type", $$"""{"model": "{{Model}}", "rows": [{{Row}}]}""", 415, "Content-Type 'json' is not supported; send application/json", "json");
        yield return Predict("content type with an empty charset", $$"""{"model": "{{Model}}", "rows": [{{Row}}]}""", 415, "Content-Type 'application/json; charset=' is not supported", "application/json; charset=");
        yield return new(c, "no content type", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "rows": [{{Row}}]}"""), null, 415, "The request has no Content-Type");
        yield return new(c, "empty body", "POST", "/api/predict", [], Json, 400, "The request body is empty");
        yield return new(c, "gzip", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "rows": [{{Row}}]}"""), Json, 415, "Content-Encoding 'gzip' is not supported", s_gzip);
        yield return new(c, "unknown query parameter", "POST", "/api/predict?explian=true", Utf8($$"""{"model": "{{Model}}", "rows": [{{Row}}]}"""), Json, 400, "Query parameter 'explian' is not an option; did you mean 'explain'?");
        yield return new(c, "explain not a boolean", "POST", "/api/predict?explain=1", Utf8($$"""{"model": "{{Model}}", "rows": [{{Row}}]}"""), Json, 400, "Query parameter 'explain' must be true or false; got '1'.");
        yield return new(c, "more instances than allowed", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "rows": [{{string.Join(",", Enumerable.Repeat(Row, 100_001))}}]}"""), Json, 413, "Send at most 100,000 rows per request (Serving__MaxInstances)");
        yield return new(c, "body over 32 MB", "POST", "/api/predict", LargeBody, Json, 413, "The body is larger than the 33,554,432 bytes allowed (Serving__MaxRequestBytes). Send less data, or raise the limit.");
    }

    private static IEnumerable<CatalogueRequest> TrainOptions()
    {
        const string c = "train options";
        CatalogueRequest Train(string name, string query, int status, string detail) =>
            new(c, name, "POST", $"{s_train}&{query}", Houses, Csv, status, detail);

        yield return Train("misspelt label", "lable=price", 400, "Query parameter 'lable' is not an option; did you mean 'label'?");
        yield return Train("misspelt maxIterations", "maxIteration=10", 400, "did you mean 'maxIterations'?");
        yield return Train("option of another API", "version=2", 400, "Query parameter 'version' is not an option. The options are: model, label");
        yield return Train("option given twice", "label=price&label=size", 400, "Query parameter 'label' is given 2 times; give it once.");
        yield return Train("maxIterations of 100 million", "maxIterations=100000000", 400, "maxIterations must be between 1 and 10,000 (Training__MaxIterations); got 100,000,000");
        yield return Train("maxIterations 0", "maxIterations=0", 400, "maxIterations must be between 1 and 10,000");
        yield return Train("maxIterations not a number", "maxIterations=many", 400, "Query parameter 'maxIterations' must be a whole number; got 'many'");
        yield return Train("maxIterations beyond int", "maxIterations=99999999999", 400, "must be a whole number; got '99999999999'");
        yield return Train("testFraction 1.5", "testFraction=1.5", 400, "testFraction must be between 0 and 1 (exclusive)");
        yield return Train("testFraction 0", "testFraction=0", 400, "testFraction must be between 0 and 1");
        yield return Train("testFraction with a decimal comma", "testFraction=0,2", 400, "must be a number with a decimal point, not a comma; got '0,2'");
        yield return Train("testFraction NaN", "testFraction=NaN", 400, "Query parameter 'testFraction' must be a number; got 'NaN'");
        yield return Train("testFraction leaving nothing to train on", "testFraction=0.999", 400, "The dataset has 400 rows; a train/test split with testFraction 0.999 needs at least");
        yield return Train("seed not a number", "seed=abc", 400, "Query parameter 'seed' must be a whole number; got 'abc'");
        yield return Train("seed fractional", "seed=1.5", 400, "'seed' must be a whole number");
        yield return Train("l2 negative", "l2=-1", 400, "l2 must be zero or a positive number; got -1");
        yield return Train("l1 infinite", "l1=Infinity", 400, "Query parameter 'l1' must be a number; got 'Infinity'");
        yield return Train("promote unknown", "promote=sometimes", 400, "promote must be auto, always or never; got 'sometimes'");
        yield return Train("promote in capitals", "promote=ALWAYS", 400, "got 'ALWAYS'");
        yield return Train("wait negative", "wait=-1", 400, "wait is the seconds to wait for the result, 0 to 60; got -1");
        yield return Train("wait not a number", "wait=soon", 400, "'wait' must be a whole number");
        yield return Train("label not a column", "label=cost", 400, "The label column 'cost' is not in the dataset. Its columns are: 'size', 'rooms'");
        yield return Train("label of text", "label=city", 400, "Line 2: the label 'city' has the value 'Tromsø', which is not a number");
        yield return Train("label empty", "label=", 400, "The label column '' is not in the dataset");
        yield return Train("dataset and a body", $"dataset={Dataset}", 400, "Send the data either as the body or as ?dataset={name}, not both");
        yield return new(c, "model name invalid", "POST", "/api/train?model=Houses_2", Houses, Csv, 400, "'Houses_2' is not a valid model name: use 1 to 63 lowercase letters");
        yield return new(c, "model name empty", "POST", "/api/train?model=", Houses, Csv, 400, "'' is not a valid model name");
        yield return new(c, "model name with dots", "POST", "/api/train?model=%2e%2e", Houses, Csv, 400, "'..' is not a valid model name");
        yield return new(c, "model name with a slash", "POST", "/api/train?model=a%2Fb", Houses, Csv, 400, "'a/b' is not a valid model name");
        yield return new(c, "model name too long", "POST", $"/api/train?model={new string('m', 64)}", Houses, Csv, 400, "is not a valid model name");
        yield return new(c, "function key and an unknown option", "POST", $"{s_train}&code=abc&foo=1", Houses, Csv, 400, "Query parameter 'foo' is not an option");
    }

    private static IEnumerable<CatalogueRequest> TrainJson()
    {
        const string c = "train JSON";
        CatalogueRequest Train(string name, string body, int status, string detail) =>
            new(c, name, "POST", "/api/train", Utf8(body), Json, status, detail);

        yield return Train("misspelt label", $$"""{"model": "{{Bad}}", "lable": "y", "data": {{s_records}}}""", 400, "The JSON body has 'lable', which is not an option; did you mean 'label'?");
        yield return Train("option in capitals", $$"""{"Model": "{{Bad}}", "data": {{s_records}}}""", 400, "did you mean 'model'?");
        yield return Train("model given twice", $$"""{"model": "{{Bad}}", "model": "other", "data": {{s_records}}}""", 400, "The JSON body has 'model' more than once; give it once.");
        yield return Train("data given twice", $$"""{"model": "{{Bad}}", "data": {{s_records}}, "data": []}""", 400, "'data' more than once");
        yield return Train("misspelt trainer option", $$"""{"model": "{{Bad}}", "trainer": {"maxIteration": 5}, "data": {{s_records}}}""", 400, "'trainer' has 'maxIteration', which is not an option; did you mean 'maxIterations'?");
        yield return Train("trainer option given twice", $$"""{"model": "{{Bad}}", "trainer": {"l2": 1, "l2": 2}, "data": {{s_records}}}""", 400, "'trainer' has 'l2' more than once");
        yield return Train("trainer neither a name nor an object", $$"""{"model": "{{Bad}}", "trainer": 5, "data": {{s_records}}}""", 400, "'trainer' must be a trainer's name such as \"fasttree\", or an object");
        yield return Train("unknown trainer", $$"""{"model": "{{Bad}}", "trainer": "fastree", "data": {{s_records}}}""", 400, "trainer must be sdca, fasttree, lightgbm or auto (a sweep); got 'fastree'. Did you mean 'fasttree'?");
        yield return Train("trainer name not a string", $$"""{"model": "{{Bad}}", "trainer": {"name": 3}, "data": {{s_records}}}""", 400, "'trainer' must be a trainer's name such as \"fasttree\"; got 3");
        yield return Train("SDCA settings for a tree trainer", $$"""{"model": "{{Bad}}", "trainer": {"name": "lightgbm", "l2": 0.1}, "data": {{s_records}}}""", 400, "l2, l1 and maxIterations are settings of the sdca trainer; trainer=lightgbm takes none of them");
        yield return Train("maxIterations of 100 million", $$"""{"model": "{{Bad}}", "trainer": {"maxIterations": 100000000}, "data": {{s_records}}}""", 400, "maxIterations must be between 1 and 10,000");
        yield return Train("l2 negative", $$"""{"model": "{{Bad}}", "trainer": {"l2": -0.5}, "data": {{s_records}}}""", 400, "l2 must be zero or a positive number");
        yield return Train("l1 out of range", $$"""{"model": "{{Bad}}", "trainer": {"l1": 1e400}, "data": {{s_records}}}""", 400, "l1 must be zero or a positive number");
        yield return Train("testFraction a string", $$"""{"model": "{{Bad}}", "testFraction": "0.2", "data": {{s_records}}}""", 400, "'testFraction' must be a number; got \"0.2\"");
        yield return Train("seed fractional", $$"""{"model": "{{Bad}}", "seed": 1.5, "data": {{s_records}}}""", 400, "'seed' must be a whole number; got 1.5");
        yield return Train("wait negative", $$"""{"model": "{{Bad}}", "wait": -5, "data": {{s_records}}}""", 400, "wait is the seconds to wait");
        yield return Train("promote a number", $$"""{"model": "{{Bad}}", "promote": 1, "data": {{s_records}}}""", 400, "'promote' must be a string; got 1");
        yield return Train("neither data nor dataset", $$"""{"model": "{{Bad}}"}""", 400, "The JSON body has neither 'data' nor 'dataset'");
        yield return Train("data and dataset", $$"""{"model": "{{Bad}}", "dataset": "{{Dataset}}", "data": {{s_records}}}""", 400, "Send either 'data' or 'dataset', not both");
        yield return Train("data an object", $$"""{"model": "{{Bad}}", "data": {"x": [1, 2]} }""", 400, "'data' must be an array of records or of numeric rows");
        yield return Train("data empty", $$"""{"model": "{{Bad}}", "data": []}""", 400, "'data' is empty");
        yield return Train("data of numbers", $$"""{"model": "{{Bad}}", "data": [1, 2, 3]}""", 400, "'data[0]' must be a record (an object) or a row");
        yield return Train("record with a field twice", $$"""{"model": "{{Bad}}", "data": [{"x": 1, "y": 2}, {"x": 1, "x": 2}, {"x": 3, "y": 4}, {"x": 4, "y": 5}, {"x": 5, "y": 6}]}""", 400, "data[1] has the field 'x' more than once");
        yield return Train("record missing a field", $$"""{"model": "{{Bad}}", "data": [{"x": 1, "y": 2}, {"x": 2}, {"x": 3, "y": 4}, {"x": 4, "y": 5}, {"x": 5, "y": 6}]}""", 400, "data[1] has no field 'y'");
        yield return Train("record with an extra field", $$"""{"model": "{{Bad}}", "data": [{"x": 1, "y": 2}, {"x": 2, "y": 3, "z": 1}]}""", 400, "data[1] has the field 'z', which data[0] does not have");
        yield return Train("record not an object", $$"""{"model": "{{Bad}}", "data": [{"x": 1, "y": 2}, [2, 3]]}""", 400, "data[1] is not a record");
        yield return Train("label null", $$"""{"model": "{{Bad}}", "data": [{"x": 1, "y": 2}, {"x": 2, "y": null}, {"x": 3, "y": 4}, {"x": 4, "y": 5}, {"x": 5, "y": 6}]}""", 400, "data[1].y: the label 'y' is null");
        yield return Train("label text", $$"""{"model": "{{Bad}}", "data": [{"x": 1, "y": "two"}, {"x": 2, "y": 3}, {"x": 3, "y": 4}, {"x": 4, "y": 5}, {"x": 5, "y": 6}]}""", 400, "data[0].y: the label 'y' must be a number, not the string \"two\"");
        yield return Train("boolean value", $$"""{"model": "{{Bad}}", "data": [{"x": true, "y": 2}, {"x": 2, "y": 3}, {"x": 3, "y": 4}, {"x": 4, "y": 5}, {"x": 5, "y": 6}]}""", 400, "data[0].x: 'x' must be a number, a string or null, not the boolean true");
        yield return Train("object value", $$"""{"model": "{{Bad}}", "data": [{"x": {"v": 1}, "y": 2}, {"x": 2, "y": 3}, {"x": 3, "y": 4}, {"x": 4, "y": 5}, {"x": 5, "y": 6}]}""", 400, "not an object");
        yield return Train("row with a string", $$"""{"model": "{{Bad}}", "data": [[1, 2], [2, "three"], [3, 4], [4, 5], [5, 6]]}""", 400, "data[1][1] is the string \"three\": rows hold numbers (or null) only");
        yield return Train("ragged rows", $$"""{"model": "{{Bad}}", "data": [[1, 2], [2, 3, 4], [3, 4], [4, 5], [5, 6]]}""", 400, "data[1] is not a row of 2 values like data[0]");
        yield return Train("number out of range", $$"""{"model": "{{Bad}}", "data": [[1, 2], [1e39, 3], [3, 4], [4, 5], [5, 6]]}""", 400, "data[1][0]: 1e39 is not a finite 32-bit number");
        yield return Train("too few rows", $$"""{"model": "{{Bad}}", "data": [[1, 2], [2, 3]]}""", 400, "needs at least");
        yield return Train("records with 1,001 fields", $$"""{"model": "{{Bad}}", "data": [{{{string.Join(", ", Enumerable.Range(0, 1001).Select(i => $"\"c{i}\": {i}"))}}}]}""", 413, "The dataset has 1,001 columns; at most 1,000 are allowed (Training__MaxColumns)");
        yield return Train("rows of 1,001 values", $$"""{"model": "{{Bad}}", "data": [[{{string.Join(", ", Enumerable.Range(0, 1001))}}]]}""", 413, "The dataset has 1,001 columns");
        yield return Train("bare empty array", "[]", 400, "'data' is empty");
        yield return Train("body null", "null", 400, "'data' must be an array");
        yield return Train("body a number", "42", 400, "'data' must be an array");
        yield return Train("truncated", $$"""{"model": "{{Bad}}", "data": [[1, 2], [2""", 400, "The body is not valid JSON");
        yield return Train("nested too deep", $$"""{"model": "{{Bad}}", "data": {{new string('[', 70)}}{{new string(']', 70)}}}""", 400, "The body is not valid JSON at line 1, byte 99: The maximum configured depth of 64 has been exceeded");
        yield return Train("trailing garbage", $$"""{"model": "{{Bad}}", "data": {{s_records}}} and more""", 400, "The body is not valid JSON");
        yield return Train("CSV sent as JSON", s_csv, 400, "The body is not JSON; it looks like CSV: send it with Content-Type: text/csv");
        yield return Train("whitespace only", "  \r\n ", 400, "The request body is empty: it has only whitespace");
        yield return new(c, "model in body and query", "POST", $"/api/train?model={Bad}", Utf8($$"""{"model": "{{Bad}}", "data": {{s_records}}}"""), Json, 400, "'model' is given both in the query string and in the body");
        yield return new(c, "durable start by name, misspelt option", "POST", $"{Durable}/orchestrators/TrainingOrchestration", Utf8($$"""{"model": "{{Bad}}", "lable": "y", "data": {{s_records}}}"""), Json, 400, "did you mean 'label'?");
        yield return new(c, "durable start by name, maxIterations", "POST", $"{Durable}/orchestrators/TrainingOrchestration?maxIterations=100000000", Utf8($$"""{"model": "{{Bad}}", "data": {{s_records}}}"""), Json, 400, "maxIterations must be between 1 and 10,000");
        yield return new(c, "durable start by name, not UTF-8", "POST", $"{Durable}/orchestrators/TrainingOrchestration", Bytes("""{"model": "x""", [0xFF], $"\", \"data\": {s_records}}}"), Json, 400, "The body is not UTF-8");
    }

    private static IEnumerable<CatalogueRequest> TrainCsv()
    {
        const string c = "train CSV";
        CatalogueRequest Train(string name, string body, int status, string detail, string contentType = Csv) =>
            new(c, name, "POST", s_train, Utf8(body), contentType, status, detail);

        yield return Train("JSON sent as CSV", s_records, 400, "The body is JSON, but its Content-Type says CSV: send it with Content-Type: application/json");
        yield return Train("semicolon-separated", s_csv.Replace(',', ';'), 400, "Line 1 is one column, 'x;city;y': the file looks separated by semicolons (;), not by commas");
        yield return Train("tab-separated", s_csv.Replace(',', '\t'), 400, "the file looks separated by tabs");
        yield return Train("pipe-separated", s_csv.Replace(',', '|'), 400, "separated by vertical bars (|)");
        yield return Train("rows semicolon-separated under a comma header", "x,city,y\n" + s_csv[(s_csv.IndexOf('\n') + 1)..].Replace(',', ';'), 400, "Line 2 has 1 field but the header has 3. Its values are separated by semicolons");
        yield return new(c, "one line (curl -d)", "POST", s_train, Houses.Where(b => b is not ((byte)'\n' or (byte)'\r')).ToArray(), Csv, 400, "The data is a single line without line breaks, so it cannot hold a header and rows. The line breaks were most likely lost on the way: curl -d drops them");
        yield return Train("whitespace only", "   \t ", 400, "The request body is empty: it has only whitespace");
        yield return new(c, "empty", "POST", s_train, [], Csv, 400, "The request body is empty.");
        yield return Train("blank first line", "   \nx,y\n1,2\n", 400, "Line 1 is blank");
        yield return Train("header only", "x,city,y\n", 400, "The CSV has a header but no data rows");
        yield return Train("ragged row", "x,city,y\n1,Oslo,2\n2,Bergen\n3,Oslo,4\n4,Oslo,5\n5,Oslo,6\n", 400, "Line 3 has 2 fields but the header has 3");
        yield return Train("decimal commas", "x,y\n1,5,2\n2,5,3\n3,5,4\n4,5,5\n5,5,6\n", 400, "Line 2 has 3 fields but the header has 2. Every row needs one value per column (leave a field empty for a missing value; quote a value that contains a comma). Numbers take a decimal point: 1.5, not 1,5.");
        yield return Train("quote never closed", "x,city,y\n1,\"Oslo,2\n2,Bergen,3\n", 400, "Line 2: a quoted field is never closed");
        yield return Train("text after a closing quote", "x,city,y\n1,\"Oslo\"x,2\n2,Bergen,3\n", 400, "unexpected text after the closing quote");
        yield return Train("numbers for a header", "1,2,3\n4,5,6\n7,8,9\n", 400, "Line 1 ('1,2,3') looks like data, not a header");
        yield return Train("a column name twice", "x,x,y\n1,2,3\n", 400, "The column name 'x' appears twice (columns 1 and 2)");
        yield return Train("a column without a name", "x,,y\n1,2,3\n", 400, "Column 2 has no name");
        yield return Train("one column", "y\n1\n2\n", 400, "it needs at least one feature column and a label column");
        yield return Train("NaN", "x,y\n1,2\nNaN,3\n3,4\n4,5\n5,6\n", 400, "Line 3, column 'x': 'NaN' is not a finite number");
        yield return Train("Infinity", "x,y\n1,2\n2,3\n-Infinity,4\n4,5\n5,6\n", 400, "'-Infinity' is not a finite number");
        yield return Train("text label", "x,y\n1,2\n2,three\n3,4\n4,5\n5,6\n", 400, "Line 3: the label 'y' has the value 'three', which is not a number");
        yield return Train("empty label", "x,y\n1,2\n2,\n3,4\n4,5\n5,6\n", 400, "Line 3: the label 'y' is empty");
        yield return Train("too few rows", "x,y\n1,2\n2,3\n", 400, "needs at least");
        yield return Train("a column with no values", "x,z,y\n1,,2\n2,,3\n3,,4\n4,,5\n5,,6\n", 400, "Column 'z' has no values in any row");
        yield return Train("10,000 columns × 20 rows", string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"c{i}")) + "\n" + string.Concat(Enumerable.Repeat(string.Join(",", Enumerable.Repeat("0", 10_000)) + "\n", 20)), 413, "The dataset has 10,000 columns; at most 1,000 are allowed (Training__MaxColumns)");
        yield return Train("1,001 columns", string.Join(",", Enumerable.Range(0, 1001).Select(i => $"c{i}")) + "\n" + string.Join(",", Enumerable.Repeat("1", 1001)) + "\n", 413, "The dataset has 1,001 columns");
        yield return Train("more categories than allowed", "id,y\n" + string.Concat(Enumerable.Range(0, 1100).Select(i => $"user{i},{i}\n")), 400, "Column 'id' has more than 1,000 distinct text values (line 1002 adds 'user1000')");
        yield return Train("categories over the cell limit", "a,b,y\n" + string.Concat(Enumerable.Range(0, 800).Select(i => $"a{i},b{i},{i}\n")), 413, "800 rows of 1,600 feature values each (a categorical column counts once per category), 1,280,000 in all; a run takes at most 1,000,000 (Training__MaxCells)");
        yield return Train("content type text/plain", s_csv, 415, "Content-Type 'text/plain' is not supported; send text/csv (with a header row), application/vnd.apache.parquet or application/json", "text/plain");
        yield return Train("content type form (curl -d)", s_csv, 415, "curl -d sends this type unless told otherwise", "application/x-www-form-urlencoded");
        yield return Train("multipart form (curl -F)", "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx,y\n1,2\r\n--b--\r\n", 415, "That is a form upload, such as curl -F", "multipart/form-data; boundary=b");
        yield return Train("content type XML", "<rows/>", 415, "Content-Type 'application/xml' is not supported", "application/xml");
        yield return new(c, "no content type", "POST", s_train, Utf8(s_csv), null, 415, "The request has no Content-Type");
        yield return new(c, "gzip", "POST", s_train, Utf8(s_csv), Csv, 415, "Content-Encoding 'gzip' is not supported: send the body uncompressed", s_gzip);
        yield return new(c, "deflate", "POST", s_train, Utf8(s_csv), Csv, 415, "Content-Encoding 'deflate' is not supported", new Dictionary<string, string> { ["Content-Encoding"] = "deflate" });
    }

    private static IEnumerable<CatalogueRequest> NamedDatasets()
    {
        const string c = "named dataset";
        CatalogueRequest Train(string name, string query, int status, string detail) =>
            new(c, name, "POST", $"{s_train}&{query}", null, null, status, detail);

        yield return Train("unknown dataset", "dataset=catalogue-none", 404, "Dataset 'catalogue-none' does not exist. Upload it first with PUT /api/datasets/catalogue-none");
        yield return Train("invalid dataset name", "dataset=My_Data", 400, "'My_Data' is not a valid dataset name");
        yield return Train("label not a column", $"dataset={Dataset}&label=cost", 400, "The label column 'cost' is not in dataset 'catalogue-data'");
        yield return Train("label of text", $"dataset={Dataset}&label=city", 400, "The label 'city' of dataset 'catalogue-data' holds text");
        yield return Train("misspelt label", $"dataset={Dataset}&lable=price", 400, "did you mean 'label'?");
        yield return Train("maxIterations of 100 million", $"dataset={Dataset}&maxIterations=100000000", 400, "maxIterations must be between 1 and 10,000");
        yield return Train("more categories than allowed", $"dataset={IdsDataset}", 400, "Column 'id' has more than 1,000 distinct text values");
        yield return Train("over the cell limit", $"dataset={BigDataset}", 413, "(Training__MaxCells)");
        yield return new(c, "dataset named in JSON, unknown", "POST", "/api/train", Utf8($$"""{"model": "{{Bad}}", "dataset": "catalogue-none"}"""), Json, 404, "Dataset 'catalogue-none' does not exist");
        yield return new(c, "dataset named in JSON, not a string", "POST", "/api/train", Utf8($$"""{"model": "{{Bad}}", "dataset": 5}"""), Json, 400, "'dataset' must be a string; got 5");
    }

    private static IEnumerable<CatalogueRequest> DatasetUploads()
    {
        const string c = "dataset upload";
        CatalogueRequest Put(string name, string dataset, string body, int status, string detail, string? contentType = Csv) =>
            new(c, name, "PUT", $"/api/datasets/{dataset}", Utf8(body), contentType, status, detail);

        yield return Put("name taken", Dataset, s_csv, 409, "Dataset 'catalogue-data' already exists");
        yield return Put("name in capitals", "Houses", s_csv, 400, "'Houses' is not a valid dataset name");
        yield return Put("name too long", new string('d', 64), s_csv, 400, "is not a valid dataset name");
        yield return Put("name with a dot", "houses.csv", s_csv, 400, "'houses.csv' is not a valid dataset name");
        yield return Put("JSON content type", "catalogue-json", s_records, 415, "Content-Type 'application/json' is not supported; send text/csv with a header row", Json);
        yield return Put("no content type", "catalogue-none", s_csv, 415, "The request has no Content-Type", null);
        yield return Put("JSON sent as CSV", "catalogue-json", "[{\"x\": 1, \"y\": 2},\n{\"x\": 2, \"y\": 3}]\n", 400, "it is JSON, not CSV");
        yield return Put("one line (curl -d)", "catalogue-line", "x,y1,22,33,4", 400, "The data is a single line without line breaks");
        yield return Put("semicolon-separated", "catalogue-semi", s_csv.Replace(',', ';'), 400, "separated by semicolons");
        yield return Put("whitespace only", "catalogue-blank", "   ", 400, "The CSV is empty");
        yield return Put("header only", "catalogue-header", "x,y\n", 400, "The CSV has a header but no data rows");
        yield return Put("ragged row", "catalogue-ragged", "x,y\n1,2\n3\n", 400, "Line 3 has 1 field but the header has 2");
        yield return Put("NaN", "catalogue-nan", "x,y\n1,2\nNaN,3\n", 400, "Line 3, column 'x': 'NaN' is not a finite number");
        yield return Put("1,001 columns", "catalogue-wide", string.Join(",", Enumerable.Range(0, 1001).Select(i => $"c{i}")) + "\n" + string.Join(",", Enumerable.Repeat("1", 1001)) + "\n", 413, "The dataset has 1,001 columns; at most 1,000");
        yield return new(c, "empty", "PUT", "/api/datasets/catalogue-empty", [], Csv, 400, "The request body is empty");
        yield return new(c, "gzip", "PUT", "/api/datasets/catalogue-gzip", Utf8(s_csv), Csv, 415, "Content-Encoding 'gzip' is not supported", s_gzip);
        yield return new(c, "unknown query parameter", "PUT", "/api/datasets/catalogue-query?overwrite=true", Utf8(s_csv), Csv, 400, "Query parameter 'overwrite' is not understood: PUT /api/datasets/catalogue-query takes no query parameters");
        yield return new(c, "wrong method", "POST", "/api/datasets/catalogue-post", Utf8(s_csv), Csv, 405, "it takes");
    }

    private static IEnumerable<CatalogueRequest> DatasetReads()
    {
        const string c = "dataset read";
        yield return new(c, "unknown dataset", "GET", "/api/datasets/catalogue-none", null, null, 404, "There is no dataset 'catalogue-none'");
        yield return new(c, "invalid name", "GET", "/api/datasets/No_Such", null, null, 400, "'No_Such' is not a valid dataset name");
        yield return new(c, "delete unknown", "DELETE", "/api/datasets/catalogue-none", null, null, 404, "There is no dataset 'catalogue-none'");
        yield return new(c, "delete invalid name", "DELETE", "/api/datasets/No_Such", null, null, 400, "is not a valid dataset name");
        yield return new(c, "unknown query parameter", "GET", $"/api/datasets/{Dataset}?format=csv", null, null, 400, "Query parameter 'format' is not understood");
        yield return new(c, "list with a query", "GET", "/api/datasets?top=5", null, null, 400, "Query parameter 'top' is not understood: GET /api/datasets takes no query parameters");
        yield return new(c, "delete with a query", "DELETE", $"/api/datasets/{Dataset}?force=true", null, null, 400, "Query parameter 'force' is not understood");
    }

    private static IEnumerable<CatalogueRequest> Models()
    {
        const string c = "models";
        CatalogueRequest Get(string name, string path, int status, string detail, string method = "GET") => new(c, name, method, path, null, null, status, detail);

        yield return Get("invalid model name", "/api/models/My_Model", 400, "'My_Model' is not a valid model name");
        yield return Get("unknown model", "/api/models/catalogue-none", 404, "There is no model 'catalogue-none'");
        yield return Get("version not a number", $"/api/models/{Model}/versions/abc", 400, "'abc' is not a version number: versions are whole numbers from 1");
        yield return Get("version beyond int", $"/api/models/{Model}/versions/99999999999", 404, "Model 'catalogue' has no version 99999999999");
        yield return Get("version 0", $"/api/models/{Model}/versions/0", 404, "has no version 0");
        yield return Get("version negative", $"/api/models/{Model}/versions/-1", 400, "'-1' is not a version number");
        yield return Get("version fractional", $"/api/models/{Model}/versions/1.5", 400, "'1.5' is not a version number");
        yield return Get("version like v1", $"/api/models/{Model}/versions/v1", 400, "'v1' is not a version number");
        yield return Get("version unknown", $"/api/models/{Model}/versions/99", 404, "Model 'catalogue' has no version 99");
        yield return Get("download version not a number", $"/api/models/{Model}/versions/latest/model.zip", 400, "'latest' is not a version number");
        yield return Get("download version unknown", $"/api/models/{Model}/versions/99/model.zip", 404, "has no version 99");
        yield return Get("version of an invalid model", "/api/models/My_Model/versions/1", 400, "'My_Model' is not a valid model name");
        yield return Get("delete version not a number", $"/api/models/{Model}/versions/abc", 400, "'abc' is not a version number", "DELETE");
        yield return Get("delete version unknown", $"/api/models/{Model}/versions/99", 404, "has no version 99", "DELETE");
        yield return Get("delete the production version", $"/api/models/{Model}/versions/1", 409, "is what 'latest' and 'production' point at. Move the alias to another version first", "DELETE");
        yield return Get("unknown query parameter", $"/api/models/{Model}?expand=all", 400, "Query parameter 'expand' is not understood");
        yield return Get("list with a query", "/api/models?top=5", 400, "GET /api/models takes no query parameters");
        yield return Get("alias unknown", $"/api/models/{Model}/aliases/canary", 404, "Model 'catalogue' has no alias 'canary'");
        yield return Get("alias name invalid", $"/api/models/{Model}/aliases/Prod", 400, "'Prod' is not a valid alias name");
    }

    private static IEnumerable<CatalogueRequest> Aliases()
    {
        const string c = "alias move";
        var path = $"/api/models/{Model}/aliases/staging";
        CatalogueRequest Put(string name, string body, int status, string detail, string contentType = Json, IReadOnlyDictionary<string, string>? headers = null) =>
            new(c, name, "PUT", path, Utf8(body), contentType, status, detail, headers);

        yield return Put("version a string", """{"version": "2"}""", 400, "'version' must be a number, not the string \"2\": send {\"version\": 2}");
        yield return Put("version an alias name", """{"version": "latest"}""", 400, "'version' must be a version number from 1, as in {\"version\": 3}; got \"latest\"");
        yield return Put("body true", "true", 400, "The body must be an object, {\"version\": 3}; got true");
        yield return Put("body null", "null", 400, "got null");
        yield return Put("body an array", "[2]", 400, "got the array [2]");
        yield return Put("body a number", "2", 400, "The body must be an object, {\"version\": 3}; got 2");
        yield return Put("empty object", "{}", 400, "The body has no 'version'");
        yield return Put("version given twice", """{"version": 1, "version": 2}""", 400, "The body has 'version' more than once");
        yield return Put("another property", """{"version": 1, "reason": "rollback"}""", 400, "The body has 'reason', which is not understood; it takes only 'version'");
        yield return Put("version 0", """{"version": 0}""", 400, "got 0");
        yield return Put("version fractional", """{"version": 1.5}""", 400, "got 1.5");
        yield return Put("version null", """{"version": null}""", 400, "got null");
        yield return Put("version unknown", """{"version": 99}""", 404, "has no version 99");
        yield return Put("If-Match not an ETag", """{"version": 1}""", 400, "If-Match must be the ETag a GET of the alias answered, in its quotes", headers: new Dictionary<string, string> { ["If-Match"] = "not-an-etag" });
        yield return Put("If-Match of another state", """{"version": 1}""", 412, "Alias 'staging' of model 'catalogue' has changed (it now points at nothing", headers: new Dictionary<string, string> { ["If-Match"] = "\"0x8DC0000000000000\"" });
        yield return Put("If-Match of two ETags", """{"version": 1}""", 400, "If-Match must be the ETag", headers: new Dictionary<string, string> { ["If-Match"] = "\"a\", \"b\"" });
        yield return Put("content type text/plain", """{"version": 1}""", 415, "send application/json: {\"version\": 3}", "text/plain");
        yield return Put("not JSON", "version=1", 400, "The body is not valid JSON");
        yield return Put("whitespace only", " ", 400, "The request body is empty: it has only whitespace");
        yield return new(c, "gzip", "PUT", path, Utf8("""{"version": 1}"""), Json, 415, "Content-Encoding 'gzip' is not supported", s_gzip);
        yield return new(c, "body over 64 KB", "PUT", path, Utf8($$"""{"version": 1{{new string(' ', 70_000)}}}"""), Json, 413, "The body is larger than the 65,536 bytes allowed. Send less data.");
        yield return new(c, "unknown model", "PUT", "/api/models/catalogue-none/aliases/production", Utf8("""{"version": 1}"""), Json, 404, "has no version 1");
        yield return new(c, "invalid alias name", "PUT", $"/api/models/{Model}/aliases/Prod", Utf8("""{"version": 1}"""), Json, 400, "'Prod' is not a valid alias name");
        yield return new(c, "unknown query parameter", "PUT", $"{path}?force=true", Utf8("""{"version": 1}"""), Json, 400, "Query parameter 'force' is not understood");
    }

    /// <summary>What the host answers before any function: unknown paths and wrong methods, as problems too.</summary>
    private static IEnumerable<CatalogueRequest> Routes()
    {
        const string c = "routes";
        yield return new(c, "unknown page", "GET", "/settings", null, null, 404, "Nothing is served at GET /settings");
        yield return new(c, "unknown dashboard file", "GET", "/dashboard/secrets.json", null, null, 404, "Nothing is served at GET /dashboard/secrets.json");
        yield return new(c, "dashboard file by POST", "POST", "/dashboard/app.js", Utf8("{}"), Json, 405, "does not take POST");
        yield return new(c, "api root", "GET", "/api", null, null, 404, "Nothing is served at GET /api");
        yield return new(c, "unknown function", "POST", "/api/score", Utf8("{}"), Json, 404, "Nothing is served at POST /api/score");
        yield return new(c, "train by GET", "GET", "/api/train", null, null, 405, "/api/train does not take GET; it takes POST");
        yield return new(c, "predict by DELETE", "DELETE", "/api/predict", null, null, 405, "it takes POST");
        yield return new(c, "models by PATCH", "PATCH", "/api/models", Utf8("{}"), Json, 405, "/api/models does not take PATCH");
        yield return new(c, "version by POST", "POST", $"/api/models/{Model}/versions/1", Utf8("{}"), Json, 405, "does not take POST");
        yield return new(c, "dot segments in a name", "GET", "/api/models/%2e%2e", null, null, 404, "Nothing is served at GET /api/");
        yield return new(c, "dot segments to a dataset", "DELETE", "/api/datasets/%2e%2e/catalogue-data", null, null, 404, "Nothing is served at DELETE /api/catalogue-data");
        yield return new(c, "encoded slash in a name", "GET", "/api/datasets/..%2Fmodels", null, null, 400, "is not a valid dataset name");
        yield return new(c, "unknown durable instance", "GET", $"{Durable}/instances/nope", null, null, 404, "nope");
        yield return new(c, "unknown orchestrator", "POST", $"{Durable}/orchestrators/Nope", Utf8(s_records), Json, 404, "This app has no orchestrator function 'Nope'");
    }

    /// <summary>Odd but valid: answered 2xx, and still nothing stored.</summary>
    private static IEnumerable<CatalogueRequest> OddButValid()
    {
        const string c = "odd but valid";
        yield return new(c, "predict by the latest alias", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "version": "latest", "rows": [{{Row}}]}"""), Json, 200, null);
        yield return new(c, "predict by the production alias", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "version": "production", "instances": [{{Instance}}]}"""), Json, 200, null);
        yield return new(c, "predict with a byte order mark", "POST", "/api/predict", [0xEF, 0xBB, 0xBF, .. Utf8($$"""{"model": "{{Model}}", "rows": [{{Row}}]}""")], Json, 200, null);
        yield return new(c, "predict with charset=utf-8", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "rows": [{{Row}}]}"""), $"{Json}; charset=utf-8", 200, null);
        yield return new(c, "predict with the function key", "POST", "/api/predict?code=anything", Utf8($$"""{"model": "{{Model}}", "rows": [{{Row}}]}"""), Json, 200, null);
        yield return new(c, "predict with the model after the values", "POST", "/api/predict", Utf8($$"""{"rows": [{{Row}}], "version": 1, "model": "{{Model}}"}"""), Json, 200, null);
        yield return new(c, "predict a category never seen", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "rows": [[70, 3, 1985, 4.5, "Reykjavík", null]]}"""), Json, 200, null);
        yield return new(c, "predict with a trailing newline", "POST", "/api/predict", Utf8($$"""{"model": "{{Model}}", "rows": [{{Row}}]}""" + "\r\n"), Json, 200, null);
        yield return new(c, "a version with leading zeros", "GET", $"/api/models/{Model}/versions/001", null, null, 200, null);
        yield return new(c, "alias moved where it is", "PUT", $"/api/models/{Model}/aliases/production", Utf8("""{"version": 1}"""), Json, 200, null);
        yield return new(c, "alias moved with If-Match: *", "PUT", $"/api/models/{Model}/aliases/latest", Utf8("""{"version": 1}"""), Json, 200, null, new Dictionary<string, string> { ["If-Match"] = "*" });
    }

    /// <summary>A predict body one byte over Serving:MaxRequestBytes.</summary>
    private static byte[] LargeBody { get; } = Enumerable.Repeat((byte)' ', (32 * 1024 * 1024) + 1).ToArray();
}
