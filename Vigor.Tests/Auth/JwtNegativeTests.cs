using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Vigor.Tests.Support;

namespace Vigor.Tests.Auth;

/// <summary>RFC 8725 checks: each forged or misused token gets 401 from an authenticated route, never 500.</summary>
[TestClass]
public sealed class JwtNegativeTests
{
    private static TestHost Host => SharedHost.Host;

    private static Session user = null!;

    [ClassInitialize]
    public static async Task RegisterAsync(TestContext context)
    {
        _ = context;
        user = await Host.RegisterAsync();
    }

    private static Dictionary<string, object> Header(string alg = "ES256", string? kid = "k1", string typ = "at+jwt")
    {
        var header = new Dictionary<string, object> { ["alg"] = alg, ["typ"] = typ };
        if (kid is not null)
            header["kid"] = kid;
        return header;
    }

    private static Dictionary<string, object> Payload(Guid? sub = null, int expiresIn = 300, int notBeforeIn = -5, string? iss = TestHost.Issuer, string? aud = TestHost.Audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>
        {
            ["sub"] = (sub ?? user.UserId).ToString(), ["role"] = "user", ["iat"] = now, ["nbf"] = now + notBeforeIn, ["exp"] = now + expiresIn,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (iss is not null)
            payload["iss"] = iss;
        if (aud is not null)
            payload["aud"] = aud;
        return payload;
    }

    private static string Encode(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));

    private static string SignEs256(Dictionary<string, object> header, Dictionary<string, object> payload, ECDsa key)
    {
        var input = Encode(header) + "." + Encode(payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64UrlEncoder.Encode(signature);
    }

    private static async Task AssertRejected(string token)
    {
        var response = await Host.SendAsync(HttpMethod.Get, "/api/me", token);
        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [TestMethod]
    public async Task Control_ValidForgedShape_IsAccepted()
    {
        // Proves the helpers build tokens the API accepts, so each rejection below is about the one thing changed.
        var response = await Host.SendAsync(HttpMethod.Get, "/api/me", SignEs256(Header(), Payload(), Host.Keys["k1"]));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [TestMethod]
    [DataRow("none")]
    [DataRow("None")]
    [DataRow("NONE")]
    [DataRow("nOnE")]
    public async Task AlgNone_AnyCasing_IsRejected(string alg)
    {
        await AssertRejected(Encode(Header(alg)) + "." + Encode(Payload()) + ".");
        await AssertRejected(Encode(Header(alg)) + "." + Encode(Payload()) + "." + Base64UrlEncoder.Encode("x"));
    }

    [TestMethod]
    public async Task Hs256SignedWithThePublicKey_IsRejected()
    {
        var publicKey = Encoding.ASCII.GetBytes(Host.Keys["k1"].ExportSubjectPublicKeyInfoPem());
        var input = Encode(Header("HS256")) + "." + Encode(Payload());
        var mac = HMACSHA256.HashData(publicKey, Encoding.ASCII.GetBytes(input));

        await AssertRejected(input + "." + Base64UrlEncoder.Encode(mac));
    }

    [TestMethod]
    public async Task Expired_BeyondClockSkew_IsRejected()
        => await AssertRejected(SignEs256(Header(), Payload(expiresIn: -31 - 60, notBeforeIn: -600), Host.Keys["k1"]));

    [TestMethod]
    public async Task NotYetValid_IsRejected()
        => await AssertRejected(SignEs256(Header(), Payload(notBeforeIn: 600, expiresIn: 900), Host.Keys["k1"]));

    [TestMethod]
    public async Task MissingExpiry_IsRejected()
    {
        var payload = Payload();
        payload.Remove("exp");

        await AssertRejected(SignEs256(Header(), payload, Host.Keys["k1"]));
    }

    [TestMethod]
    public async Task WrongIssuer_IsRejected() => await AssertRejected(SignEs256(Header(), Payload(iss: "https://evil.example"), Host.Keys["k1"]));

    [TestMethod]
    public async Task WrongOrMissingAudience_IsRejected()
    {
        await AssertRejected(SignEs256(Header(), Payload(aud: "another-app"), Host.Keys["k1"]));
        await AssertRejected(SignEs256(Header(), Payload(aud: null), Host.Keys["k1"]));
    }

    [TestMethod]
    public async Task TamperedPayload_IsRejected()
    {
        var token = SignEs256(Header(), Payload(), Host.Keys["k1"]);
        var parts = token.Split('.');
        var payload = Payload();
        payload["role"] = "admin";

        await AssertRejected(parts[0] + "." + Encode(payload) + "." + parts[2]);
    }

    [TestMethod]
    [DataRow("unknown-kid")]
    [DataRow("' OR 1=1--")]
    [DataRow("../../dev/null")]
    public async Task UnknownOrHostileKid_IsRejected(string kid)
        => await AssertRejected(SignEs256(Header(kid: kid), Payload(), Host.Keys["k1"]));

    [TestMethod]
    public async Task KeyNotInTheRing_IsRejected()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await AssertRejected(SignEs256(Header(), Payload(), stranger));
    }

    [TestMethod]
    public async Task WrongType_IsRejected() => await AssertRejected(SignEs256(Header(typ: "JWT"), Payload(), Host.Keys["k1"]));

    [TestMethod]
    public async Task RefreshTokenUsedAsAccessToken_IsRejected() => await AssertRejected(user.RefreshToken);

    [TestMethod]
    [DataRow("")]
    [DataRow("not-a-token")]
    [DataRow("a.b.c.d.e")]
    [DataRow("eyJhbGciOiJFUzI1NiJ9..")]
    public async Task Malformed_IsRejected(string token) => await AssertRejected(token);

    [TestMethod]
    public async Task JsonSerializedJws_IsRejected()
        => await AssertRejected("{\"payload\":\"" + Encode(Payload()) + "\",\"signatures\":[]}");

    [TestMethod]
    public async Task TokenOfDeletedUser_IsRejected()
    {
        var doomed = await Host.RegisterAsync();
        await using (var conn = new NpgsqlConnection(Host.ConnectionString))
            await conn.ExecuteAsync("DELETE FROM users WHERE id = @id", new { id = doomed.UserId });

        await AssertRejected(doomed.AccessToken);
    }

    [TestMethod]
    public async Task MissingHeader_IsRejectedWithChallenge()
    {
        var response = await Host.SendAsync(HttpMethod.Get, "/api/me", token: null);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }
}
