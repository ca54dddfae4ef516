#!/usr/bin/env bash
# Bicep CLI from NuGet (the build machines reach NuGet but not the Bicep release downloads).
#   tools/bicep.sh            restore if needed, print the path of the bicep binary
#   tools/bicep.sh ARGS...    restore if needed, run bicep with ARGS
# The package lands in the normal NuGet global packages folder ($NUGET_PACKAGES or ~/.nuget/packages).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
package=azure.bicep.commandline.linux-x64
# The one place the version lives is BicepTools.csproj: Version="[x.y.z]".
version=$(sed -n 's/.*Azure\.Bicep\.CommandLine\.linux-x64" Version="\[\([0-9.]*\)\]".*/\1/p' "$here/BicepTools.csproj")
[ -n "$version" ] || { echo "bicep.sh: no Azure.Bicep.CommandLine.linux-x64 version in BicepTools.csproj" >&2; exit 1; }

# `dotnet nuget locals` honours NUGET_PACKAGES and any NuGet.Config globalPackagesFolder.
packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')
packages=${packages%/}
bicep="$packages/$package/$version/tools/bicep"

if [ ! -x "$bicep" ]; then
  dotnet restore "$here/BicepTools.csproj" --nologo -v quiet >&2
fi
if [ ! -f "$bicep" ]; then
  echo "bicep.sh: restore finished but $bicep is missing" >&2
  exit 1
fi
[ -x "$bicep" ] || chmod u+x "$bicep"

if [ "$#" -eq 0 ]; then
  printf '%s\n' "$bicep"
else
  exec "$bicep" "$@"
fi
