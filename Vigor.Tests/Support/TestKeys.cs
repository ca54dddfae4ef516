using System.Security.Cryptography;
using Vigor.Core.Auth;

namespace Vigor.Tests.Support;

/// <summary>P-256 signing keys made per test run, in the secret's format.</summary>
internal sealed class TestKeys
{
    public TestKeys(params string[] kids)
    {
        Keys = kids.Select(k => (k, ECDsa.Create(ECCurve.NamedCurves.nistP256))).ToList();
    }

    public List<(string Kid, ECDsa Key)> Keys { get; }

    public ECDsa this[string kid] => Keys.Single(k => k.Kid == kid).Key;

    public string SecretJson(string activeKid, params string[] include)
        => SigningKeyRing.Serialize(activeKid, Keys.Where(k => include.Length == 0 || include.Contains(k.Kid)));
}
