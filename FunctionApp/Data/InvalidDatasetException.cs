namespace ServerlessML.Data;

/// <summary>The data cannot be trained on; the message says what to fix, in the user's terms.</summary>
public sealed class InvalidDatasetException(string message) : Exception(message);
