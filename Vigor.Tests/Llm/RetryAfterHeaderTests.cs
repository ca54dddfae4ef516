using Microsoft.Extensions.Time.Testing;
using Vigor.Core.Llm.Providers;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class RetryAfterHeaderTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [TestMethod]
    public void Read_PrefersMilliseconds_OverSeconds()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", "2");
        response.Headers.TryAddWithoutValidation("retry-after-ms", "1500");

        Assert.AreEqual(TimeSpan.FromMilliseconds(1500), RetryAfterHeader.Read(response.Headers, time));
    }

    [TestMethod]
    public void Read_TakesAzureMilliseconds()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("x-ms-retry-after-ms", "250");

        Assert.AreEqual(TimeSpan.FromMilliseconds(250), RetryAfterHeader.Read(response.Headers, time));
    }

    [TestMethod]
    public void Read_TurnsHttpDateIntoWait()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", "Sun, 01 Mar 2026 12:00:30 GMT");

        Assert.AreEqual(TimeSpan.FromSeconds(30), RetryAfterHeader.Read(response.Headers, time));
    }

    [TestMethod]
    public void Read_ReturnsNull_WhenVendorSaysNothing()
    {
        using var response = new HttpResponseMessage();

        Assert.IsNull(RetryAfterHeader.Read(response.Headers, time));
    }
}
