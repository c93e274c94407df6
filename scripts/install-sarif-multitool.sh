#!/usr/bin/env bash
# Installs Microsoft's SARIF validator (`sarif-multitool`, from the npm package
# @microsoft/sarif-multitool) into target/sarif-tools/, for tests/sarif.rs.
#
# Idempotent: does nothing when the pinned version is already installed and
# runs. Needs Node.js and npm. The package ships a self-contained .NET binary,
# which needs ICU (Debian/Ubuntu: libicu72 or similar); without ICU it runs with
# DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1, which tests/sarif.rs always sets.
#
# Usage: scripts/install-sarif-multitool.sh   (from anywhere in the repository)
set -euo pipefail

VERSION=5.7.0

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix="$root/target/sarif-tools"

platform=$(node -p process.platform)
case "$platform" in
    linux | darwin) binary=Sarif.Multitool ;;
    win32) binary=Sarif.Multitool.exe ;;
    *)
        echo "install-sarif-multitool: no sarif-multitool build for platform '$platform'" >&2
        exit 1
        ;;
esac
native="$prefix/node_modules/@microsoft/sarif-multitool-$platform/$binary"

installed_version() {
    # Prints the installed version of an npm package under $prefix, or nothing.
    local manifest="$prefix/node_modules/$1/package.json"
    [[ -f $manifest ]] && node -p "require(process.argv[1]).version" "$manifest" || true
}

smoke_test() {
    # The .NET binary aborts at start-up when ICU is missing; fall back to the
    # invariant globalization mode, which is all validation needs.
    if { "$native" --version; } >/dev/null 2>&1; then
        return 0
    fi
    if { DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$native" --version; } >/dev/null 2>&1; then
        echo "install-sarif-multitool: no ICU library found; the validator runs only with" >&2
        echo "  DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 (tests/sarif.rs sets it; or install libicu)" >&2
        return 0
    fi
    echo "install-sarif-multitool: $native does not run:" >&2
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$native" --version >&2 || true
    return 1
}

if [[ $(installed_version @microsoft/sarif-multitool) == "$VERSION" &&
    $(installed_version "@microsoft/sarif-multitool-$platform") == "$VERSION" && -x $native ]] &&
    smoke_test; then
    echo "sarif-multitool $VERSION already installed in $prefix"
    exit 0
fi

mkdir -p "$prefix"
# Both packages pinned: the wrapper only asks for the platform package with a
# caret range. Install scripts are skipped; the only one sets the executable
# bit, done below.
npm install --prefix "$prefix" --save-exact --ignore-scripts --no-audit --no-fund --loglevel=error \
    "@microsoft/sarif-multitool@$VERSION" "@microsoft/sarif-multitool-$platform@$VERSION"
chmod u+x "$native"

smoke_test
echo "sarif-multitool $VERSION installed: $native"
echo "  (wrapper: $prefix/node_modules/.bin/sarif-multitool)"
