namespace ServerlessML;

/// <summary>
/// Blob storage could not be reached: no answer, a timeout, or a 5xx. Trying again later can work. The message is
/// only the short reason ("connection refused", "HTTP 503"), for the caller to put in a sentence of its own.
/// </summary>
public sealed class StorageUnavailableException(string reason, Exception? innerException = null) : Exception(reason, innerException);
