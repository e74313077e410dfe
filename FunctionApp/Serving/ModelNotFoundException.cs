namespace ServerlessML.Serving;

/// <summary>The model, or the version of it, that a request names has not been published.</summary>
public sealed class ModelNotFoundException(string message) : Exception(message);
