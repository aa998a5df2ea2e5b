#!/usr/bin/env bash
# `make fuzz`: run every cargo-fuzz target for FUZZ_SECONDS (default 60) and
# keep whatever crashes as a regression the stable replay
# (tests/fuzz-bodies/tests/replay.rs) runs from then on. Needs a nightly
# toolchain (libFuzzer's instrumentation); installs cargo-fuzz at the version
# tools/versions.env pins when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/versions.env
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-codec component_inputs native_check neon_envelopes site_manifest}
# Optimized builds find more per second; `--dev` builds sooner (FUZZ_BUILD=--dev).
build=${FUZZ_BUILD:-}

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "make fuzz needs a nightly Rust toolchain (libFuzzer instrumentation); install it with: rustup toolchain install nightly" >&2
    exit 2
fi
if [[ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz ${CARGO_FUZZ_VERSION}"* ]]; then
    cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi

# New inputs libFuzzer finds go to target/, never into the committed seeds;
# SiteContent's Check keeps its hash cache there too, not in ~/.cache.
export LAUNCHPAD_CACHE_DIR="$PWD/target/fuzz/hash-cache"
status=0
for target in $targets; do
    found="target/fuzz/corpus/$target"
    artifacts="target/fuzz/artifacts/$target"
    mkdir -p "$found" "$artifacts" "fuzz/regressions/$target"
    echo "== $target: ${seconds}s"
    # -timeout: an input slower than 10 s is a finding too (a hang).
    if ! cargo +nightly fuzz run $build --fuzz-dir fuzz "$target" \
        "$found" "fuzz/corpus/$target" "fuzz/regressions/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$PWD/$artifacts/" -print_final_stats=1 2>"target/fuzz/$target.log"; then
        status=1
    fi
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done|==[0-9]+== ERROR|SUMMARY)' "target/fuzz/$target.log" || true
    for crash in "$artifacts"/*; do
        [[ -f "$crash" ]] || continue
        name=$(basename "$crash")
        cp "$crash" "fuzz/regressions/$target/$name"
        {
            echo "# $target: $name"
            echo
            echo "Found by \`make fuzz\` on $(date -u +%Y-%m-%d); libFuzzer said:"
            echo
            echo '```'
            grep -E -A12 '^==[0-9]+== ERROR|panicked at|^SUMMARY' "target/fuzz/$target.log" | head -40 || true
            echo '```'
        } >"fuzz/regressions/$target/$name.md"
        echo "   kept $crash as fuzz/regressions/$target/$name (replayed by make test)"
        rm "$crash"
    done
done
exit $status
