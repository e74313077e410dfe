using System.Text.Json.Serialization;
using ServerlessML.Serving;

namespace ServerlessML;

/// <summary>Serialization code generated at build time for the answer written most often: a prediction.</summary>
[JsonSerializable(typeof(PredictionResponse))]
internal sealed partial class ServerlessJsonContext : JsonSerializerContext;
