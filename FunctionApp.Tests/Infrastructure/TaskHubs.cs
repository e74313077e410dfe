namespace ServerlessML.Tests.Infrastructure;

/// <summary>Task hub names unique to one test host, so that hosts sharing an Azurite never take each other's work.</summary>
internal static class TaskHubs
{
    public static string Unique() => $"test{Guid.NewGuid():N}"[..24];
}
