namespace ServerlessML.Tests.Infrastructure;

/// <summary>Model names unique to one test, so tests sharing an Azurite never see each other's models.</summary>
internal static class ModelNames
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 13)];
}
