using Azure.Core;
using Azure.Identity;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// The token credential Azure OpenAI providers with <see cref="ProviderConfig.UseManagedIdentity"/> use: one
/// <see cref="DefaultAzureCredential"/> for the process (it caches tokens), made on first use.
/// </summary>
internal sealed class LlmAzureCredential
{
    private readonly Lazy<TokenCredential> credential;

    public LlmAzureCredential()
        : this(() => new DefaultAzureCredential())
    {
    }

    public LlmAzureCredential(Func<TokenCredential> create) => credential = new Lazy<TokenCredential>(create);

    public TokenCredential Credential => credential.Value;
}
