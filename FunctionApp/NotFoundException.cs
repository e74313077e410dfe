namespace ServerlessML;

/// <summary>The model, version, alias or dataset a request names does not exist.</summary>
public sealed class NotFoundException(string message) : Exception(message);
