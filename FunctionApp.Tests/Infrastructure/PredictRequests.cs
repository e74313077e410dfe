using System.Text;
using ServerlessML.Serving;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>Predict requests built as a client sends them, and read by the same parser the function uses.</summary>
internal static class PredictRequests
{
    public static PredictionRequest Instances(string model, string instances, int? version = null) =>
        PredictionRequest.Parse(
            Encoding.UTF8.GetBytes($$"""{"model": "{{model}}", {{(version is { } v ? $"\"version\": {v}, " : "")}}"instances": {{instances}}}"""));
}
