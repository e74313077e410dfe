using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests;

/// <summary>Starts what the tests need once per run (Azurite); in the root namespace so it covers every test.</summary>
[SetUpFixture]
public sealed class TestEnvironment
{
    private static Azurite? s_azurite;

    public static Azurite Azurite => s_azurite ?? throw new InvalidOperationException("Azurite has not been started.");

    [OneTimeSetUp]
    public async Task StartAsync() => s_azurite = await Azurite.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (s_azurite is not null)
        {
            await s_azurite.DisposeAsync();
        }
    }
}
