using System.Text;

namespace ServerlessML.Tests.LocalHost;

/// <summary>One request of the catalogue, as raw as a tester would send it, and the answer it must get.</summary>
/// <param name="Detail">A part of the problem's detail (null for a 2xx answer).</param>
public sealed record CatalogueRequest(
    string Category,
    string Name,
    string Method,
    string Path,
    byte[]? Body,
    string? ContentType,
    int Status,
    string? Detail,
    IReadOnlyDictionary<string, string>? Headers = null)
{
    public TestCaseData ToTestCase() => new TestCaseData(this).SetName($"Catalogue: {Category}: {Name}");

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Text around raw bytes, for bodies that are not UTF-8.</summary>
    public static byte[] Bytes(string before, byte[] raw, string after) => [.. Utf8(before), .. raw, .. Utf8(after)];

    public override string ToString() => $"{Method} {Path}";
}
