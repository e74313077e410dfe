namespace ServerlessML;

/// <summary>A request that cannot be served as sent; the message tells the caller what to change.</summary>
public sealed class InvalidRequestException(string message) : Exception(message);
