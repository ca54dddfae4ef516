using Vigor.Core.Admin;

namespace Vigor.Tests.Admin;

[TestClass]
public sealed class ProviderEndpointPolicyTests
{
    private static readonly ProviderEndpointOptions Strict = new();
    private static readonly ProviderEndpointOptions LocalHttp = new() { AllowHttpEndpoints = true };
    private static readonly ProviderEndpointOptions Private = new() { AllowPrivateEndpoints = true };

    [TestMethod]
    [DataRow("https://api.openai.com/v1")]
    [DataRow("https://my-resource.openai.azure.com/")]
    [DataRow("https://8.8.8.8/v1")]
    [DataRow("https://[2606:4700::1111]/v1")]
    public void Check_PublicHttps_Accepted(string endpoint)
        => Assert.IsNull(ProviderEndpointPolicy.Check(endpoint, Strict));

    [TestMethod]
    [DataRow("http://api.openai.com/v1")]
    [DataRow("ftp://api.openai.com/v1")]
    [DataRow("/v1/chat")]
    [DataRow("api.openai.com")]
    [DataRow("https://user:pass@api.openai.com/v1")]
    [DataRow("https://api.openai.com/v1?key=abc")]
    [DataRow("https://api.openai.com/v1#frag")]
    [DataRow("https://169.254.169.254/latest/meta-data")]
    [DataRow("https://169.254.1.1/")]
    [DataRow("https://2852039166/")]
    [DataRow("https://[::ffff:169.254.169.254]/")]
    [DataRow("https://[fd00:ec2::254]/")]
    [DataRow("https://[fe80::1]/")]
    [DataRow("https://[64:ff9b::a9fe:a9fe]/")]
    [DataRow("https://metadata.google.internal/computeMetadata/v1")]
    [DataRow("https://0.0.0.0/")]
    [DataRow("https://224.0.0.1/")]
    [DataRow("https://10.0.0.5/v1")]
    [DataRow("https://172.20.1.1/v1")]
    [DataRow("https://192.168.1.10/v1")]
    [DataRow("https://100.100.100.200/")]
    [DataRow("https://[fd12:3456::1]/")]
    [DataRow("https://ollama/v1")]
    [DataRow("https://models.internal/v1")]
    [DataRow("https://127.0.0.1/v1")]
    [DataRow("https://localhost/v1")]
    [DataRow("http://127.0.0.1:11434/v1")]
    public void Check_Strict_Refused(string endpoint)
        => Assert.IsNotNull(ProviderEndpointPolicy.Check(endpoint, Strict), endpoint);

    [TestMethod]
    [DataRow("http://127.0.0.1:11434/v1")]
    [DataRow("http://localhost:8080/v1")]
    [DataRow("http://[::1]:8080/v1")]
    [DataRow("https://127.0.0.1/v1")]
    public void Check_LoopbackWithAllowHttp_Accepted(string endpoint)
        => Assert.IsNull(ProviderEndpointPolicy.Check(endpoint, LocalHttp));

    [TestMethod]
    [DataRow("http://example.com/v1")]
    [DataRow("http://10.0.0.5/v1")]
    [DataRow("https://10.0.0.5/v1")]
    [DataRow("http://169.254.169.254/")]
    public void Check_AllowHttp_StillRefusesNonLoopbackHttpAndPrivate(string endpoint)
        => Assert.IsNotNull(ProviderEndpointPolicy.Check(endpoint, LocalHttp), endpoint);

    [TestMethod]
    public void Check_AllowPrivate_AdmitsPrivateHttpsButNeverMetadata()
    {
        Assert.IsNull(ProviderEndpointPolicy.Check("https://10.0.0.5/v1", Private));
        Assert.IsNull(ProviderEndpointPolicy.Check("https://ollama/v1", Private));
        Assert.IsNotNull(ProviderEndpointPolicy.Check("http://10.0.0.5/v1", Private));
        Assert.IsNotNull(ProviderEndpointPolicy.Check("https://169.254.169.254/", new ProviderEndpointOptions { AllowHttpEndpoints = true, AllowPrivateEndpoints = true }));
    }

    [TestMethod]
    [DataRow("https://api.example.com/v1", "https://API.example.com:443/v2", true)]
    [DataRow("https://api.example.com/v1", "https://api.example.com:8443/v1", false)]
    [DataRow("https://api.example.com/v1", "http://api.example.com/v1", false)]
    [DataRow("https://api.example.com/v1", "https://evil.example.com/v1", false)]
    [DataRow(null, null, true)]
    [DataRow(null, "https://api.example.com/v1", false)]
    public void SameOrigin_ComparesSchemeHostAndPort(string? a, string? b, bool same)
        => Assert.AreEqual(same, ProviderEndpointPolicy.SameOrigin(a, b));
}
