package main

import (
	"reflect"
	"slices"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func request(t *testing.T, dryRun bool, opts map[string]any) *pulumirpc.RunRequest {
	t.Helper()
	o, err := structpb.NewStruct(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.RunRequest{
		MonitorAddress:   "127.0.0.1:1111",
		Project:          "proj",
		Stack:            "dev",
		Organization:     "organization",
		DryRun:           dryRun,
		Parallel:         16,
		Config:           map[string]string{"proj:greeting": "hi"},
		ConfigSecretKeys: []string{"proj:token"},
		Args:             []string{"extra"},
		Info: &pulumirpc.ProgramInfo{
			RootDirectory:    "/work/prog",
			ProgramDirectory: "/work/prog",
			EntryPoint:       ".",
			Options:          o,
		},
	}
}

func TestRunArgs(t *testing.T) {
	req := request(t, true, map[string]any{"nodeargs": "--max-old-space-size=4096 --trace-warnings"})
	opts, err := parseOptions(req.Info.Options.AsMap())
	if err != nil {
		t.Fatal(err)
	}
	got, err := runArgs(req, "127.0.0.1:2222", "/n/run/index.js", opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"--max-old-space-size=4096", "--trace-warnings", "/n/run/index.js",
		"--monitor", "127.0.0.1:1111", "--engine", "127.0.0.1:2222", "--organization", "organization",
		"--project", "proj", "--root-directory", "/work/prog", "--stack", "dev", "--pwd", "/work/prog",
		"--dry-run", "--parallel", "16", ".", "extra",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runArgs =\n%q\nwant\n%q", got, want)
	}

	// Not a preview: no --dry-run at all (the runner treats the flag as a boolean).
	got, _ = runArgs(request(t, false, nil), "e", "r", options{})
	if slices.Contains(got, "--dry-run") {
		t.Errorf("runArgs for an update contains --dry-run: %q", got)
	}
}

func TestRunEnv(t *testing.T) {
	base := []string{"PATH=/bin"}
	env, err := runEnv(base, request(t, false, nil), options{typescript: true, tsconfig: "tsconfig.build.json"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"PATH=/bin",
		`PULUMI_CONFIG={"proj:config:greeting":"hi"}`,
		`PULUMI_CONFIG_SECRET_KEYS=["proj:token"]`,
		"PULUMI_NODEJS_TYPESCRIPT=true",
		"PULUMI_NODEJS_TSCONFIG_PATH=tsconfig.build.json",
	}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("runEnv =\n%q\nwant\n%q", env, want)
	}
	env, _ = runEnv(nil, request(t, false, nil), options{typescript: false})
	if slices.Contains(env, "PULUMI_NODEJS_TYPESCRIPT=true") {
		t.Error("typescript: false must not enable ts-node")
	}
}

func TestParseOptions(t *testing.T) {
	o, err := parseOptions(map[string]any{})
	if err != nil || !o.typescript || o.packagemanager != "auto" {
		t.Errorf("defaults = %+v, %v", o, err)
	}
	o, err = parseOptions(map[string]any{"typescript": false, "packagemanager": "pnpm"})
	if err != nil || o.typescript || o.packagemanager != "pnpm" {
		t.Errorf("parsed = %+v, %v", o, err)
	}
	for _, bad := range []map[string]any{
		{"typescript": "yes"}, {"tsconfig": 1.0}, {"nodeargs": true}, {"packagemanager": "cargo"},
	} {
		if _, err := parseOptions(bad); err == nil {
			t.Errorf("parseOptions(%v) must fail", bad)
		}
	}
}
