namespace ServerlessML;

/// <summary>A request over one of the configured limits (columns, cells, instances…); the message names the limit and its setting.</summary>
public sealed class LimitExceededException(string message) : Exception(message);
