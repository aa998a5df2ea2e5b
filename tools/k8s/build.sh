#!/usr/bin/env bash
# Builds the TEST-ONLY local Kubernetes control plane and the real kubernetes provider plugin
# that the end-to-end tests of KubernetesService run against, from Go modules only.
# It knows nothing about launchpad's components: it builds binaries and gathers manifests;
# tools/k8s/cluster.py starts them. Idempotent; safe when run concurrently.
#
#   tools/k8s/build.sh                 build; print KEY=path lines on stdout
#   tools/k8s/build.sh install-plugin  build, then install the provider into $PULUMI_HOME as a
#                                      user would (`pulumi plugin install ... --file`), unless
#                                      that home already holds this very binary
#   tools/k8s/build.sh update-modules  rewrite the four go.mod/go.sum from tools/versions.env
#                                      (after a version bump there), then build
#
# One Go module per tool, so that no tool's dependencies move another's (minimal version
# selection would merge them): cluster/ (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl from k8s.io/kubernetes), etcd/, kwok/, provider/ (requires
# github.com/pulumi/pulumi-kubernetes/provider/v4; upstream's main.go, generate.go and its two
# JSON files are copied out of the module cache into target/ at build time, never committed).
# The Gateway API CRDs and kwok's Stage manifests are read from their modules in the cache.
#
# Everything lands in target/k8s/<key>/, where <key> hashes the Kubernetes pins of
# tools/versions.env, the go.mod/go.sum files, this script and `go version`; a complete build
# leaves a stamp and is skipped next time, and other keys' folders are removed.
#
# stdout is only KEY=value lines, so a caller can `eval "$(tools/k8s/build.sh)"`:
#   K8S_BIN           folder of etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
#                     kubectl, kwok and pulumi-resource-kubernetes
#   K8S_PROVIDER      the provider plugin binary (labelled KUBERNETES_PROVIDER_VERSION)
#   K8S_GATEWAY_CRDS  folder of the Gateway API CRDs (standard channel) to `kubectl apply`
#   K8S_KWOK_STAGES   kwok's --config: the Stages that make nodes and pods Ready
# Progress and the time of each step go to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../.." && pwd -P)"
mode="${1:-build}"

log() { printf 'k8s-build: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

[[ "$mode" == build || "$mode" == install-plugin || "$mode" == update-modules ]] ||
    die "unknown mode '$mode' (build | install-plugin | update-modules)"
command -v go >/dev/null || die "go is required"
# shellcheck source=../versions.env
source "$root/tools/versions.env"

modules=(cluster etcd kwok provider)
provider_module=github.com/pulumi/pulumi-kubernetes/provider/v4
provider_cmd=cmd/pulumi-resource-kubernetes
kube_version_ldflags="-X k8s.io/component-base/version.gitVersion=v$KUBERNETES_VERSION"
kube_version_ldflags+=" -X k8s.io/component-base/version.gitMajor=${KUBERNETES_VERSION%%.*}"
kube_minor="${KUBERNETES_VERSION#*.}"
kube_version_ldflags+=" -X k8s.io/component-base/version.gitMinor=${kube_minor%%.*}"
provider_ldflags="-X $provider_module/pkg/version.Version=$KUBERNETES_PROVIDER_VERSION"

# module_dir <module@version>: where the Go module cache holds it (downloading it if needed).
# Run outside our modules so that the checksum database verifies what is not in a go.sum.
module_dir() {
    local json
    json="$(cd "${TMPDIR:-/tmp}" && GOWORK=off go mod download -json "$1")" || die "go mod download $1 failed"
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json"
}

# --- update-modules: the go.mod files follow tools/versions.env
write_module() { # write_module <dir> <go.mod text>; then go mod tidy there
    printf '%s\n' "$2" >"$here/$1/go.mod"
    rm -f "$here/$1/go.sum"
    local t0; t0="$(now)"
    (cd "$here/$1" && go mod tidy >&2)
    log "$1: go mod tidy took $(took "$t0")"
}
if [[ "$mode" == update-modules ]]; then
    mkdir -p "${modules[@]/#/$here/}"
    # k8s.io/kubernetes replaces its 33 staging modules with ./staging folders, which do not
    # apply to a dependency: the wrapper replaces each with its published v0.<minor>.<patch>.
    kube="$(module_dir "k8s.io/kubernetes@v$KUBERNETES_VERSION")"
    staging="$(sed -n '/^replace/,/^)/p' "$kube/go.mod" | awk -v v="v0.${KUBERNETES_VERSION#*.}" \
        '$3 ~ /^\.\/staging\// { printf "\t%s => %s %s\n", $1, $1, v }')"
    [[ -n "$staging" ]] || die "k8s.io/kubernetes@v$KUBERNETES_VERSION/go.mod names no ./staging replace"
    write_module cluster "module launchpad.dev/tools/k8s/cluster

$(grep -E '^(go|godebug) ' "$kube/go.mod")

require k8s.io/kubernetes v$KUBERNETES_VERSION

replace (
$staging
)

tool (
	k8s.io/kubernetes/cmd/kube-apiserver
	k8s.io/kubernetes/cmd/kube-controller-manager
	k8s.io/kubernetes/cmd/kube-scheduler
	k8s.io/kubernetes/cmd/kubectl
)"
    write_module etcd "module launchpad.dev/tools/k8s/etcd

go 1.26.0

require go.etcd.io/etcd/server/v3 v$ETCD_VERSION

tool go.etcd.io/etcd/server/v3"
    write_module kwok "module launchpad.dev/tools/k8s/kwok

go 1.26.0

require sigs.k8s.io/kwok v$KWOK_VERSION

tool sigs.k8s.io/kwok/cmd/kwok"
    # The provider's main package is upstream's file, so tidy runs beside a copy of it.
    upstream="$(module_dir "$provider_module@$KUBERNETES_PROVIDER_MODULE_VERSION")"
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    cp "$upstream/$provider_cmd/main.go" "$scratch/"
    printf 'module launchpad.dev/tools/k8s/provider\n\ngo 1.26.0\n\nrequire %s %s\n' \
        "$provider_module" "$KUBERNETES_PROVIDER_MODULE_VERSION" >"$scratch/go.mod"
    t0="$(now)"
    (cd "$scratch" && go mod tidy >&2)
    cp "$scratch/go.mod" "$scratch/go.sum" "$here/provider/"
    log "provider: go mod tidy took $(took "$t0")"
    log "rewrote tools/k8s/{$(IFS=,; echo "${modules[*]}")}/go.mod and go.sum from tools/versions.env"
fi

# --- the go.mod files must say what tools/versions.env says
requires() { # requires <module dir> <module path> <version>
    grep -qE "^(require )?[[:space:]]*$2 $3( |\$)" "$here/$1/go.mod" ||
        die "tools/k8s/$1/go.mod does not require $2 $3 (tools/versions.env); run: tools/k8s/build.sh update-modules"
}
requires cluster k8s.io/kubernetes "v$KUBERNETES_VERSION"
grep -qE "^[[:space:]]*k8s.io/api => k8s.io/api v0.${KUBERNETES_VERSION#*.}\$" "$here/cluster/go.mod" ||
    die "tools/k8s/cluster/go.mod does not replace the staging modules at v0.${KUBERNETES_VERSION#*.}; run: tools/k8s/build.sh update-modules"
requires etcd go.etcd.io/etcd/server/v3 "v$ETCD_VERSION"
requires kwok sigs.k8s.io/kwok "v$KWOK_VERSION"
requires provider "$provider_module" "$KUBERNETES_PROVIDER_MODULE_VERSION"

key="$( {
    go version
    grep -E '^(KUBERNETES|ETCD|KWOK|GATEWAY_API)_' "$root/tools/versions.env"
    for m in "${modules[@]}"; do cat "$here/$m/go.mod" "$here/$m/go.sum"; done
    cat "${BASH_SOURCE[0]}"
} | sha256sum | cut -c1-16)"
out="$root/target/k8s/$key"
bin="$out/bin"
mkdir -p "$root/target/k8s"

# One build at a time (make and a test session may both ask).
exec 9>"$root/target/k8s/.lock"
flock 9

if [[ "$(cat "$out/.stamp" 2>/dev/null)" == "$key" ]]; then
    log "up to date: $out"
else
    log "building into $out (cold: about 25 min on 2 cores; with a warm Go build cache: about a minute)"
    total="$(now)"
    rm -f "$out/.stamp"
    mkdir -p "$bin"
    build() { # build <module folder> <output name> <ldflags> <package>
        local t0; t0="$(now)"
        (cd "$1" && nice -n 10 go build -trimpath -ldflags "-s -w $3" -o "$bin/$2" "$4")
        log "$2: go build took $(took "$t0") ($(du -m "$bin/$2" | cut -f1) MB)"
    }
    build "$here/etcd" etcd "" go.etcd.io/etcd/server/v3
    for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
        build "$here/cluster" "$cmd" "$kube_version_ldflags" "k8s.io/kubernetes/cmd/$cmd"
    done
    build "$here/kwok" kwok "" sigs.k8s.io/kwok/cmd/kwok

    # The provider: upstream's main package next to our go.mod, in target/. generate.go (run
    # by `go generate`) stamps the version into the schema the binary embeds.
    upstream="$(module_dir "$provider_module@$KUBERNETES_PROVIDER_MODULE_VERSION")"
    src="$out/provider-src"
    rm -rf "$src"
    mkdir -p "$src"
    cp "$here/provider/go.mod" "$here/provider/go.sum" "$src/"
    for f in main.go generate.go schema.json terraform-mapping.json; do
        cp "$upstream/$provider_cmd/$f" "$src/"
    done
    chmod -R u+w "$src"
    t0="$(now)"
    (cd "$src" && VERSION="$KUBERNETES_PROVIDER_VERSION" nice -n 10 go generate ./...)
    log "provider: go generate took $(took "$t0")"
    build "$src" pulumi-resource-kubernetes "$provider_ldflags" .
    rm -rf "$src"

    # kwok ships no built-in Stages: these make a Node Ready (and keep its lease) and a Pod
    # Running and Ready at once, then Completed or deleted.
    kwok_dir="$(module_dir "sigs.k8s.io/kwok@v$KWOK_VERSION")"
    stages=(node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
        pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml)
    for s in "${stages[@]}"; do
        echo "---"
        cat "$kwok_dir/kustomize/stage/$s"
    done >"$out/kwok-stages.yaml"

    # The Gateway API's standard channel: only the kinds a KubernetesService refers to.
    gateway_dir="$(module_dir "sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION")"
    rm -rf "$out/gateway-crds"
    mkdir -p "$out/gateway-crds"
    for kind in gatewayclasses gateways httproutes referencegrants; do
        cp "$gateway_dir/config/crd/standard/gateway.networking.k8s.io_$kind.yaml" "$out/gateway-crds/"
    done
    chmod -R u+w "$out/gateway-crds"

    echo "$key" >"$out/.stamp"
    log "built in $(took "$total"): $out"
    for old in "$root"/target/k8s/*/; do
        [[ "$old" == "$out/" ]] && continue
        log "removing the build of another key: $old"
        rm -rf "$old"
    done
fi

provider="$bin/pulumi-resource-kubernetes"
if [[ "$mode" == install-plugin ]]; then
    [[ -n "${PULUMI_HOME:-}" ]] || die "PULUMI_HOME is not set; the plugin is installed into \$PULUMI_HOME/plugins"
    pulumi="$root/tools/bin/pulumi"
    [[ -x "$pulumi" ]] || pulumi="$(command -v pulumi)" || die "pulumi is required (make toolchain)"
    installed="$PULUMI_HOME/plugins/resource-kubernetes-v$KUBERNETES_PROVIDER_VERSION/pulumi-resource-kubernetes"
    if cmp -s "$provider" "$installed"; then
        log "plugin kubernetes $KUBERNETES_PROVIDER_VERSION already installed in $PULUMI_HOME"
    else
        t0="$(now)"
        "$pulumi" plugin install resource kubernetes "$KUBERNETES_PROVIDER_VERSION" --file "$provider" --reinstall >&2
        log "installed plugin kubernetes $KUBERNETES_PROVIDER_VERSION into $PULUMI_HOME in $(took "$t0")"
    fi
fi

echo "K8S_BIN=$bin"
echo "K8S_PROVIDER=$provider"
echo "K8S_GATEWAY_CRDS=$out/gateway-crds"
echo "K8S_KWOK_STAGES=$out/kwok-stages.yaml"
