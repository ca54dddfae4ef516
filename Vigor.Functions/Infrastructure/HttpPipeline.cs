namespace Vigor.Functions.Infrastructure;

/// <summary>The worker middleware that wraps every HTTP function, outermost first. Both hosts run exactly this list.</summary>
public static class HttpPipeline
{
    public static readonly Type[] Middleware =
    [
        typeof(ErrorMiddleware),
        typeof(CorrelationMiddleware),
        typeof(SecurityHeadersMiddleware),
        typeof(AuthenticationMiddleware),
    ];
}

public static class HttpPipelineRegistration
{
    public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddVigorHttpPipeline(this Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        foreach (var middleware in HttpPipeline.Middleware)
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, middleware);
        return services;
    }
}
