using Vigor.LocalHost;

// Serves Vigor.Functions' HTTP, timer and durable functions on plain ASP.NET Core: `dotnet run` or scripts/run.sh.
var app = LocalHostApp.Build(args);
app.Run();
