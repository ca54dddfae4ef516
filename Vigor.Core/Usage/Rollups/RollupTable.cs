using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure.Storage;

namespace Vigor.Core.Usage.Rollups;

/// <summary>
/// The <c>&lt;prefix&gt;rollups</c> table. One partition per window (<c>d:2026-11-26</c>, <c>m:2026-11</c>), one row per
/// scope in it (<c>global</c>, <c>tier:…</c>, <c>provider:…</c>, <c>feature:…</c>) and 256 user bucket rows (<c>users:00</c>…),
/// plus the batch markers (<c>~op:…</c>, sorted after every scope) and the checkpoint in partition <c>checkpoint</c>.
/// </summary>
internal sealed class RollupTable(TableServiceClient service, IOptions<StorageOptions> options)
{
    private readonly Lazy<Task<TableClient>> table = new(async () =>
    {
        var client = service.GetTableClient(options.Value.TablePrefix + "rollups");
        await client.CreateIfNotExistsAsync();
        return client;
    });

    public Task<TableClient> GetAsync() => table.Value;
}
