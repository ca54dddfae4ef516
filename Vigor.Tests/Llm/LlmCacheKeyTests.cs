using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class LlmCacheKeyTests
{
    /// <summary>The key as it was computed before it was written straight into one buffer (entries stored then must still match).</summary>
    private static string FirstKey(string feature, IReadOnlyList<PromptMessage> messages, int maxOutputTokens, bool json)
    {
        var normalised = JsonSerializer.Serialize(new
        {
            feature,
            maxOutputTokens,
            json,
            messages = messages.Select(m => new { role = m.Role, content = string.Join(' ', m.Content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant() }),
        });
        return feature + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    public static IEnumerable<object[]> Prompts =>
    [
        [new[] { new PromptMessage("system", "You are Vigor.\nRules:\t<b>never</b> & 'always' \"quote\" + 1"), new PromptMessage("user", "  Plan   for ME  ") }],
        [new[] { new PromptMessage("user", "Ünïcödé ÇAPS 😀 İstanbul \u00A0non-breaking\u2003em-space\u2028line\r\nend") }],
        [new[] { new PromptMessage("user", ""), new PromptMessage("assistant", " \t\n "), new PromptMessage("user", "x") }],
        [Array.Empty<PromptMessage>()],
    ];

    [TestMethod]
    [DynamicData(nameof(Prompts))]
    public void Key_IsTheSameAsBefore(PromptMessage[] messages)
    {
        Assert.AreEqual(FirstKey("plan_generation", messages, 2048, true), LlmCache.Key("plan_generation", messages, 2048, true));
        Assert.AreEqual(FirstKey("coach_chat", messages, 512, false), LlmCache.Key("coach_chat", messages, 512, false));
    }

    [TestMethod]
    public void Key_IgnoresWhitespaceAndCase_NotContentOrSettings()
    {
        PromptMessage[] a = [new("user", "Three days,  full body")];
        PromptMessage[] b = [new("user", " three DAYS,\n\tfull body ")];
        PromptMessage[] c = [new("user", "Three days, upper body")];

        Assert.AreEqual(LlmCache.Key("f", a, 100, true), LlmCache.Key("f", b, 100, true));
        Assert.AreNotEqual(LlmCache.Key("f", a, 100, true), LlmCache.Key("f", c, 100, true));
        Assert.AreNotEqual(LlmCache.Key("f", a, 100, true), LlmCache.Key("f", a, 101, true));
        Assert.AreNotEqual(LlmCache.Key("f", a, 100, true), LlmCache.Key("f", a, 100, false));
        Assert.AreNotEqual(LlmCache.Key("f", a, 100, true), LlmCache.Key("g", a, 100, true));
    }
}
