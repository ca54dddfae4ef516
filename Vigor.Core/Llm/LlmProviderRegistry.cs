using System.Collections.Frozen;

namespace Vigor.Core.Llm;

/// <summary>The registered <see cref="ILlmProvider"/>s by <see cref="ProviderConfig.Kind"/>.</summary>
internal sealed class LlmProviderRegistry(IEnumerable<ILlmProvider> providers)
{
    private readonly FrozenDictionary<string, ILlmProvider> byKind = providers.ToFrozenDictionary(p => p.Kind, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Kinds => byKind.Keys;

    public bool TryGet(string kind, out ILlmProvider provider) => byKind.TryGetValue(kind, out provider!);

    public ILlmProvider Get(string kind)
        => TryGet(kind, out var provider)
            ? provider
            : throw new LlmProviderException(LlmFailure.BadRequest, $"No LLM provider is registered for kind '{kind}'.");
}
