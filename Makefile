# launchpad — the only entry point a person needs. `make help` lists targets.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

include tools/versions.env

ROOT := $(CURDIR)
PLUGIN := target/debug/pulumi-resource-launchpad
E2E_VENV := target/e2e/venv
# The standard `build` frontend for the Python SDK's wheel and sdist (make dist).
DIST_VENV := target/dist/venv
LINT_VENV := target/lint/venv
# The S3 + CloudFront emulator (moto) and its clients live in the e2e venv; tests of
# any language find its interpreter here (tests/moto/serve.py prints the port).
MOTO_REQUIREMENTS := tests/moto/requirements.txt
export LAUNCHPAD_MOTO_PYTHON := $(ROOT)/$(E2E_VENV)/bin/python
TS_EXAMPLES := examples/static-site-ts examples/web-service-ts examples/cloud-run-ts examples/neon-ts examples/kubernetes-ts examples/function-ts
PY_EXAMPLES := examples/static-site-py examples/web-service-py examples/cloud-run-py examples/neon-branch-py examples/kubernetes-py examples/function-py
# Run by upstream's YAML language host (tools/yaml); nothing to install: it reads our schema from the plugin.
YAML_EXAMPLES := examples/static-site-yaml examples/web-service-yaml
# Go programs on the local sdk/go (a replace directive); built by our Go host at each run.
GO_EXAMPLES := examples/static-site-go examples/neon-go
# Test programs written with @pulumi/kubernetes alone (their npm packages are installed by `make k8s`).
K8S_PROGRAMS := tests/e2e/programs/k8s-raw-ts
# Our pinned pulumi and language hosts first, then our plugin (found as an ambient plugin).
export PATH := $(ROOT)/tools/bin:$(ROOT)/target/debug:$(PATH)
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_HOME := $(ROOT)/target/e2e/home

.PHONY: help preview test build schema sdk docs sdk-build toolchain standins k8s moto examples test-rust test-go test-e2e test-install policy dist lint bench bench-large bench-smoke reliability s3peers fuzz clean

help: ## list targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

preview: build toolchain standins k8s examples ## build everything and preview the example stacks locally (no cloud account)
	python3 tests/e2e/harness.py preview $(TS_EXAMPLES) $(PY_EXAMPLES) $(YAML_EXAMPLES) $(GO_EXAMPLES)

test: test-rust test-go test-e2e test-install bench-smoke ## run every test: unit, component, contract, stand-ins, end to end, install, benchmarks once

build: ## build the provider plugin, the test-only testbed plugin and the site_sync driver (target/debug)
	cargo build -p pulumi-resource-launchpad -p launchpad-testbed
	cargo build -p launchpad-site-sync --example site_sync
	cargo build -p launchpad-components --example construct_cost

schema: build ## regenerate schema.json from the Rust definitions
	$(PLUGIN) --schema > schema.json

toolchain: ## build the pinned pulumi CLI and language hosts into tools/bin (or use good ambient ones)
	@tools/build.sh >/dev/null

standins: ## build the test-only stand-in cloud providers (STANDIN_PACKAGES: aws, gcp) and their schemas
	@tests/standin/build.sh >/dev/null

k8s: toolchain ## build the local Kubernetes control plane and the real kubernetes provider (tools/k8s), install the provider into PULUMI_HOME
	@tools/k8s/build.sh install-plugin >/dev/null
	# --ignore-scripts: @pulumi/kubernetes would download its plugin at install time.
	for p in $(K8S_PROGRAMS); do \
	    (cd $$p && npm install --ignore-scripts --no-package-lock --no-audit --no-fund >/dev/null); \
	done

moto: $(E2E_VENV) ## the S3 + CloudFront emulator (moto[server], in target/e2e/venv) for the tests
	@$(E2E_VENV)/bin/python -c 'import moto.server, boto3' || { echo "moto: $(E2E_VENV) lacks moto; rm -rf $(E2E_VENV) and run make moto" >&2; exit 1; }

sdk: schema toolchain ## regenerate sdk/nodejs, sdk/python and sdk/go from schema.json
	rm -rf sdk/nodejs sdk/python sdk/go
	pulumi package gen-sdk schema.json --language nodejs --out sdk
	pulumi package gen-sdk schema.json --language python --out sdk
	pulumi package gen-sdk schema.json --language go --out sdk

docs: build ## regenerate docs/ from schema.json, examples/ and the catalogues the plugin prints (--messages)
	python3 tools/docs/gen.py docs

sdk-build: ## compile the TypeScript SDK with tsc into sdk/nodejs/bin
	cd sdk/nodejs && npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
	    @pulumi/pulumi@$(PULUMI_NODEJS_SDK_VERSION) typescript@$(TYPESCRIPT_VERSION) @types/node@$(TYPES_NODE_VERSION) >/dev/null
	cd sdk/nodejs && rm -rf bin && ./node_modules/.bin/tsc && cp package.json README.md bin/

examples: sdk-build ## install the examples' dependencies (npm; a Python virtualenv; Go modules) with the local SDKs
	# The local SDKs keep their version while their content changes: always reinstall them.
	# --ignore-scripts: a provider SDK (@pulumi/kubernetes) would download its plugin at install time.
	for ex in $(TS_EXAMPLES); do \
	    rm -rf $$ex/node_modules/pulumi-launchpad; \
	    (cd $$ex && npm install --ignore-scripts --no-audit --no-fund >/dev/null); \
	done
	for ex in $(PY_EXAMPLES); do \
	    test -x $$ex/.venv/bin/python || python3 -m venv $$ex/.venv; \
	    $$ex/.venv/bin/pip install --quiet --disable-pip-version-check -r $$ex/requirements.txt; \
	    $$ex/.venv/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./sdk/python; \
	done
	# A first build fills Go's build cache (a few minutes cold on 2 cores), so that each
	# preview's `go build` takes seconds.
	for ex in $(GO_EXAMPLES); do (cd $$ex && go build -o /dev/null .); done

policy: ## install the policy packs tests/e2e/test_policy.py runs: AWSGuard (tests/policy/awsguard) and a Python one
	# Versions from tools/versions.env; --ignore-scripts: its @pulumi/aws would download a plugin it never runs.
	cd tests/policy/awsguard && npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
	    @pulumi/awsguard@$(AWSGUARD_VERSION) @pulumi/policy@$(POLICY_NODEJS_VERSION) @pulumi/pulumi@$(PULUMI_NODEJS_SDK_VERSION) \
	    typescript@$(TYPESCRIPT_VERSION) @types/node@$(TYPES_NODE_VERSION) >/dev/null
	# A Python pack too, so that the test covers the python host's RunPlugin.
	test -x tests/policy/python-pack/.venv/bin/python || python3 -m venv tests/policy/python-pack/.venv
	tests/policy/python-pack/.venv/bin/pip install --quiet --disable-pip-version-check \
	    pulumi==$(PULUMI_PYTHON_SDK_VERSION) pulumi-policy==$(POLICY_PYTHON_VERSION)

test-rust: moto ## unit, codec, component (fake monitor) and gRPC contract tests
	cargo test --workspace

test-go: toolchain moto ## tests of the language hosts and the stand-ins
	cd tools && go test ./...
	tests/standin/build.sh test >/dev/null

test-e2e: build toolchain standins k8s examples moto policy ## pulumi preview of the examples, staleness of schema, SDKs and docs
	$(E2E_VENV)/bin/pytest tests/e2e tests/moto -q

dist: sdk-build $(DIST_VENV) ## release artifacts in dist/: plugin tarball + .sha256, npm package, Python wheel + sdist
	python3 tools/dist.py --python $(DIST_VENV)/bin/python

test-install: dist toolchain standins $(E2E_VENV) ## install dist/ as a user would: empty PULUMI_HOME, plugin cache, npm and pip packages
	$(E2E_VENV)/bin/pytest tests/install -q

$(DIST_VENV): tools/versions.env
	python3 -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/pip install --quiet --disable-pip-version-check build==$(PYPA_BUILD_VERSION) setuptools==$(SETUPTOOLS_VERSION)
	touch $(DIST_VENV)

$(E2E_VENV): tools/versions.env $(MOTO_REQUIREMENTS)
	python3 -m venv $(E2E_VENV)
	$(E2E_VENV)/bin/pip install --quiet --disable-pip-version-check pytest==$(PYTEST_VERSION) -r $(MOTO_REQUIREMENTS)
	touch $(E2E_VENV)

$(LINT_VENV): tools/versions.env
	python3 -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --quiet --disable-pip-version-check pyflakes==$(PYFLAKES_VERSION)
	touch $(LINT_VENV)

# pyflakes over every Python file we wrote (not the generated SDK): a name used but never
# imported in a benchmark otherwise shows only when that path runs.
lint: $(LINT_VENV) ## rustfmt check, clippy with warnings as errors, go vet, pyflakes
	git ls-files -z '*.py' ':!:sdk/' | xargs -0 $(LINT_VENV)/bin/pyflakes
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd tools && go vet ./...
	cd tests/standin && go vet ./...
	cd bench/startup/go-provider && go vet ./...
	cd tools/s3peers/versitygw && go vet ./...

# The site-sync benchmark's S3 server (versitygw), its ingest-limit loop and the rclone peer, from Go
# modules (tools/s3peers/build.sh; skipped when built).
s3peers: ## build versitygw, s3-ingest and rclone for bench/site-sync into target/bench-tools
	@tools/s3peers/build.sh >/dev/null

# Each benchmark leaves its result line (bench/results.py) in $LAUNCHPAD_BENCH_RESULTS; bench/report.py
# renders them. A folder per target, emptied first: a document never mixes runs.
# Every preview benchmark runs twice, the second time with PULUMI_SKIP_CHECKPOINTS=true (issue 19).
# `make bench` previews up to N=100 (about an hour here); the N=500 points are `make bench-large`'s.
bench: export LAUNCHPAD_BENCH_RESULTS := $(ROOT)/target/bench/results
bench: moto k8s s3peers ## every benchmark on the release build (start-up vs Go and Node.js providers, previews to N=100, site sync vs aws s3 sync and rclone on versitygw, construct cost), then BENCHMARKS.md from their results
	rm -rf $(LAUNCHPAD_BENCH_RESULTS)
	python3 bench/startup/run.py
	python3 bench/preview-overhead/run.py --sizes 1,20,100
	python3 bench/preview-overhead/run.py --sizes 1,20,100 --skip-checkpoints
	python3 bench/kubernetes-preview/run.py
	python3 bench/kubernetes-preview/run.py --skip-checkpoints
	python3 bench/preview-mix/run.py --sizes 1,20
	python3 bench/preview-mix/run.py --sizes 1,20 --skip-checkpoints
	$(E2E_VENV)/bin/python bench/site-sync/run.py --noop-files 100000
	$(E2E_VENV)/bin/python bench/site-sync/run.py --large
	python3 bench/construct-cost/run.py
	python3 bench/report.py --results $(LAUNCHPAD_BENCH_RESULTS) --out BENCHMARKS.md

# The preview of 500 StaticSites, both ways, into BENCHMARKS-LARGE.md. Without
# PULUMI_SKIP_CHECKPOINTS one preview of launchpad's took 18.8 min here (debug plugin, load 12:
# the engine's snapshot work, quadratic in the resources) and the TypeScript peer has a third
# more resources, so each program previews once (--runs-large 1); with it launchpad's took 40 s
# and the peer's 352 s, so twice, alternated (bench/README.md#preview-overhead). Hours here.
bench-large: export LAUNCHPAD_BENCH_RESULTS := $(ROOT)/target/bench/results-large
bench-large: toolchain standins moto ## the preview benchmark at N=500 StaticSites, both ways (about 40 min), then BENCHMARKS-LARGE.md
	rm -rf $(LAUNCHPAD_BENCH_RESULTS)
	python3 bench/preview-overhead/run.py --sizes 500 --runs-large 1
	python3 bench/preview-overhead/run.py --sizes 500 --runs-large 2 --skip-checkpoints
	python3 bench/report.py --results $(LAUNCHPAD_BENCH_RESULTS) --target bench-large --out BENCHMARKS-LARGE.md

# The debug build `build` made (--debug), one small run each: a benchmark that breaks fails
# `make test` rather than rot until the next `make bench`. Its times mean nothing and nothing checks them;
# it renders them into target/ (never the committed BENCHMARKS.md) so that the renderer cannot rot either.
# preview-overhead smokes a second time with --skip-checkpoints (~30 s here) so that the side-by-side
# rendering of a variant runs too. preview-mix's smoke (N=1 of each component, one preview each plus
# the recording and check) took ~31 s here at load 8 without KubernetesService; its control plane
# start adds ~6 s on an idle machine (bench/README.md#preview-mix).
# site-sync smokes on moto with launchpad and awscli only: a cold build of versitygw and rclone
# (s3peers) took 12.5 minutes here, too much for every `make test` (bench/README.md#site-sync).
bench-smoke: export LAUNCHPAD_BENCH_RESULTS := $(ROOT)/target/bench/smoke-results
bench-smoke: build toolchain standins k8s examples moto ## every benchmark once, small, on the debug build (no timing asserted)
	rm -rf $(LAUNCHPAD_BENCH_RESULTS)
	python3 bench/startup/run.py --debug --runs 1
	python3 bench/preview-overhead/run.py --debug --runs 1 --sizes 1
	python3 bench/kubernetes-preview/run.py --debug --runs 1 --sizes 1
	python3 bench/preview-overhead/run.py --debug --runs 1 --sizes 1 --skip-checkpoints
	python3 bench/preview-mix/run.py --debug --runs 1 --sizes 1
	$(E2E_VENV)/bin/python bench/site-sync/run.py --debug --runs 1 --files 50 --server moto --peers launchpad,awscli
	python3 bench/construct-cost/run.py --debug --sizes 1,10 --reps 1
	python3 bench/report.py --smoke --results $(LAUNCHPAD_BENCH_RESULTS) --out target/bench/BENCHMARKS.smoke.md

# Not part of `make test`: it reruns suites `make test` already runs (cargo test, pytest tests/e2e),
# only to count them into RELIABILITY.md, so it would double their cost for no new check.
reliability: build toolchain standins k8s examples moto ## issue 19's reliability suites (hostile input, faults, isolation, secrets), counted into RELIABILITY.md
	# The site-sync fault suite's S3 server, versitygw alone (not rclone): minutes when cold.
	@tools/s3peers/build.sh versitygw >/dev/null
	python3 tests/reliability/report.py --out RELIABILITY.md

# Not part of `make test` (it needs nightly); `make test` replays fuzz/corpus and
# fuzz/regressions on stable (tests/fuzz-bodies).
fuzz: ## every cargo-fuzz target for FUZZ_SECONDS (default 60) each (nightly); crashes kept in fuzz/regressions
	fuzz/run.sh

clean: ## remove build outputs (keeps committed generated files)
	cargo clean
	rm -rf tools/bin tests/.cache sdk/nodejs/bin sdk/nodejs/node_modules dist
