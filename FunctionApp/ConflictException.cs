namespace ServerlessML;

/// <summary>The request clashes with what is stored: a name already taken, a version still in use.</summary>
public sealed class ConflictException(string message) : Exception(message);
