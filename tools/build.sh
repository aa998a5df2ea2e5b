#!/usr/bin/env bash
# Provide the pinned Pulumi toolchain: the `pulumi` CLI, our language hosts
# `pulumi-language-nodejs` / `pulumi-language-python` / `pulumi-language-go`,
# and upstream's own YAML language host `pulumi-language-yaml`
# (github.com/pulumi/pulumi-yaml, built as published: from its own module
# tools/yaml, on the pkg/sdk versions it was released with, which are older
# than the CLI's).
#
#   tools/build.sh            # build into tools/bin (or use ambient ones), idempotent
#   PATH="$(tools/build.sh):$PATH"
#
# Uses an ambient toolchain when `pulumi` on PATH is >= PULUMI_VERSION and every
# language host is on PATH too (TOOLS_FORCE_BUILD=1 skips that); otherwise
# builds them all from the Go module proxy with `go build` (needs only Go).
# A stamp of versions.env, the go.mod/go.sum files, the sources and the Go version skips
# rebuilding when nothing changed. Messages go to stderr; stdout is exactly one
# line: the directory holding `pulumi`, to put first on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=versions.env
source "$here/versions.env"
bin="$here/bin"
# Our own hosts (./cmd/<name>), then upstream's YAML host (tools/yaml).
own_hosts=(pulumi-language-nodejs pulumi-language-python pulumi-language-go)
hosts=("${own_hosts[@]}" pulumi-language-yaml)

say() { echo "tools/build.sh: $*" >&2; }

# version_ge A B: A >= B for plain x.y.z versions.
version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }

# --- an ambient toolchain, unless told to build (tools/bin itself is not ambient)
if [ "${TOOLS_FORCE_BUILD:-}" != 1 ]; then
    ambient_path=""
    IFS=: read -ra path_dirs <<<"$PATH"
    for d in "${path_dirs[@]}"; do
        # Compare resolved paths: PATH may name tools/bin relatively or via a symlink.
        [ -n "$d" ] && [ "$(cd "$d" 2>/dev/null && pwd -P)" = "$here/bin" ] && continue
        ambient_path="${ambient_path:+$ambient_path:}$d"
    done
    if p="$(PATH="$ambient_path" command -v pulumi)"; then
        have="$("$p" version 2>/dev/null | sed 's/^v//')" || have=""
        missing=""
        for h in "${hosts[@]}"; do
            PATH="$ambient_path" command -v "$h" >/dev/null || missing="$missing $h"
        done
        if [ -n "$have" ] && version_ge "$have" "$PULUMI_VERSION" && [ -z "$missing" ]; then
            say "using ambient pulumi $have at $p (>= $PULUMI_VERSION)"
            for h in "${hosts[@]}"; do say "using ambient $h at $(PATH="$ambient_path" command -v "$h")"; done
            dirname "$p"
            exit 0
        fi
        say "ambient pulumi ${have:-?} at $p not used (need >= $PULUMI_VERSION${missing:+; missing:$missing})"
    fi
fi

# --- build from source
command -v go >/dev/null || { say "Go is required to build the Pulumi toolchain"; exit 1; }
cd "$here"
for m in pkg sdk; do
    grep -q "github.com/pulumi/pulumi/$m/v3 v$PULUMI_VERSION\$" go.mod || {
        say "go.mod does not require github.com/pulumi/pulumi/$m/v3 v$PULUMI_VERSION (versions.env);"
        say "run: cd tools && go get github.com/pulumi/pulumi/{pkg,sdk}/v3@v$PULUMI_VERSION && go mod tidy"
        exit 1
    }
done
# A `tool` requirement is listed as indirect.
grep -Eq "github.com/pulumi/pulumi-yaml v$PULUMI_YAML_VERSION( // indirect)?\$" yaml/go.mod || {
    say "yaml/go.mod does not require github.com/pulumi/pulumi-yaml v$PULUMI_YAML_VERSION (versions.env);"
    say "run: cd tools/yaml && go get github.com/pulumi/pulumi-yaml@v$PULUMI_YAML_VERSION && go mod tidy"
    exit 1
}

stamp="$( {
    go version
    cat versions.env go.mod go.sum yaml/go.mod yaml/go.sum
    find cmd internal -type f \( -name '*.go' -o -name '*.py' \) -print0 | sort -z | xargs -0 cat
} | sha256sum | cut -d' ' -f1)"

built=1
for b in pulumi "${hosts[@]}"; do [ -x "$bin/$b" ] || built=0; done
if [ "$built" = 1 ] && [ -f "$bin/.stamp" ] && [ "$(cat "$bin/.stamp")" = "$stamp" ]; then
    say "up to date: $bin (pulumi v$PULUMI_VERSION)"
else
    say "building pulumi v$PULUMI_VERSION and language hosts into $bin (a cold build takes several minutes)"
    rm -rf "$bin/.new" "$bin/.stamp"
    mkdir -p "$bin/.new"
    start=$SECONDS
    # Build next to the old binaries and move into place: a failed build keeps them.
    CGO_ENABLED=0 go build -buildvcs=false \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
        -o "$bin/.new/" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "${own_hosts[@]/#/./cmd/}"
    # Its own module: pulumi-yaml's requirements (pkg/sdk v3.206) stay as upstream released
    # them instead of being moved to the CLI's by minimal version selection.
    (cd yaml && CGO_ENABLED=0 go build -buildvcs=false \
        -ldflags "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$PULUMI_YAML_VERSION" \
        -o "$bin/.new/" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)
    for b in pulumi "${hosts[@]}"; do mv -f "$bin/.new/$b" "$bin/$b"; done
    rmdir "$bin/.new"
    echo "$stamp" >"$bin/.stamp"
    say "built in $((SECONDS - start))s"
fi
for b in pulumi "${hosts[@]}"; do say "$b: $bin/$b"; done
echo "$bin"
