namespace ServerlessML.Http;

/// <summary>An HTTP-level refusal (413, 415, …) raised while reading a request.</summary>
public sealed class ProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
