#!/usr/bin/env bash
# Builds the site-sync benchmark's peers (bench/site-sync/run.py) from Go modules only:
# versitygw, the real S3 server the syncs run against (an S3 gateway over a POSIX folder),
# with s3-ingest beside it (tools/s3peers/versitygw/cmd/s3-ingest: the trivial parallel PUT
# loop that measures the server's own ingest limit), and rclone, the second sync peer.
# Idempotent; safe when run concurrently.
#
#   tools/s3peers/build.sh [TOOL...]   build what is missing of TOOLs (versitygw, rclone;
#                                      both when none); print their KEY=path lines on stdout
#
# `make reliability` asks for versitygw alone (the site-sync fault suite's S3 server): rclone is
# the larger half of a cold build and only the benchmark runs it.
#
# One Go module per tool (tools/s3peers/<tool>/go.mod), so that neither moves the other's
# dependencies, as in tools/k8s. Each lands in target/bench-tools/<tool>-<version>/ with a
# stamp hashing `go version`, its go.mod/go.sum, its own sources and this script: a complete
# build is skipped next time, and other versions' folders are removed.
#
# stdout is only KEY=value lines, so a caller can `eval "$(tools/s3peers/build.sh)"`:
#   VERSITYGW  the versitygw binary      S3_INGEST  the s3-ingest binary
#   RCLONE     the rclone binary
# Progress and the time of each build go to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../.." && pwd -P)"

log() { printf 's3peers-build: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

wanted=("$@")
((${#wanted[@]})) || wanted=(versitygw rclone)
for tool in "${wanted[@]}"; do
    [[ "$tool" == versitygw || "$tool" == rclone ]] || die "unknown tool: $tool (choose versitygw, rclone)"
done
# wants <tool>: whether it was asked for.
wants() { [[ " ${wanted[*]} " == *" $1 "* ]]; }

command -v go >/dev/null || die "go is required"
# shellcheck source=../versions.env
source "$root/tools/versions.env"

# require <tool> <module path> <version>: the tool's go.mod says what tools/versions.env says.
require() {
    grep -qE "^(require )?[[:space:]]*$2 $3( |\$)" "$here/$1/go.mod" ||
        die "tools/s3peers/$1/go.mod does not require $2 $3 (tools/versions.env);" \
            "run: cd tools/s3peers/$1 && go get $2@$3 && go mod tidy"
}
require versitygw github.com/versity/versitygw "v$VERSITYGW_VERSION"
require rclone github.com/rclone/rclone "v$RCLONE_VERSION"

mkdir -p "$root/target/bench-tools"
# One build at a time (make and a benchmark run may both ask).
exec 9>"$root/target/bench-tools/.s3peers.lock"
flock 9

# build <tool> <version> <output name> <package>...: `go build` each package of the tool's module
# into target/bench-tools/<tool>-<version>/, unless its stamp says it is there already.
build() {
    local tool="$1" version="$2" out="$root/target/bench-tools/$1-$2" key t0
    shift 2
    key="$( {
        go version
        cat "$here/$tool/go.mod" "$here/$tool/go.sum" "${BASH_SOURCE[0]}"
        find "$here/$tool" -name '*.go' -type f -print0 | sort -z | xargs -0r cat
    } | sha256sum | cut -c1-16)"
    if [[ "$(cat "$out/.stamp" 2>/dev/null)" == "$key" ]]; then
        log "up to date: $out"
    else
        log "building $tool $version into $out"
        rm -f "$out/.stamp"
        mkdir -p "$out"
        while (($#)); do
            t0="$(now)"
            (cd "$here/$tool" && nice -n 15 go build -trimpath -ldflags "-s -w" -o "$out/$1" "$2")
            log "$1: go build took $(took "$t0") ($(du -m "$out/$1" | cut -f1) MB)"
            shift 2
        done
        echo "$key" >"$out/.stamp"
        for old in "$root/target/bench-tools/$tool"-*/; do
            [[ "$old" == "$out/" ]] && continue
            log "removing the build of another version: $old"
            rm -rf "$old"
        done
    fi
}
if wants versitygw; then
    build versitygw "$VERSITYGW_VERSION" \
        versitygw github.com/versity/versitygw/cmd/versitygw \
        s3-ingest ./cmd/s3-ingest
    echo "VERSITYGW=$root/target/bench-tools/versitygw-$VERSITYGW_VERSION/versitygw"
    echo "S3_INGEST=$root/target/bench-tools/versitygw-$VERSITYGW_VERSION/s3-ingest"
fi
if wants rclone; then
    build rclone "$RCLONE_VERSION" rclone github.com/rclone/rclone
    echo "RCLONE=$root/target/bench-tools/rclone-$RCLONE_VERSION/rclone"
fi
