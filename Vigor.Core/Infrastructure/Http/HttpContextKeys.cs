namespace Vigor.Core.Infrastructure.Http;

public static class HttpContextKeys
{
    public const string Caller = "vigor.caller";
    public const string CorrelationId = "vigor.correlationId";
}
