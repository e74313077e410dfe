namespace ServerlessML;

/// <summary>An <c>If-Match</c> condition no longer holds: someone else changed the resource first.</summary>
public sealed class PreconditionFailedException(string message) : Exception(message);
