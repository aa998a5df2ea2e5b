package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// pluginStream records what RunPlugin sends back to the engine.
type pluginStream struct {
	grpc.ServerStream
	ctx       context.Context
	responses []*pulumirpc.RunPluginResponse
}

func (s *pluginStream) Context() context.Context { return s.ctx }

func (s *pluginStream) Send(r *pulumirpc.RunPluginResponse) error {
	// As gRPC would, take a copy now: the stream writer reuses its buffer.
	s.responses = append(s.responses, proto.Clone(r).(*pulumirpc.RunPluginResponse))
	return nil
}

// A plugin with a __main__.py runs on its own virtualenv (venv by default), gets its
// arguments, its output reaches the engine on the stream, and so does its exit code.
func TestRunPluginRunsMainPyInTheVenvAndStreamsOutputAndExitCode(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH")
	}
	dir := t.TempDir()
	if out, err := exec.Command(python, "-m", "venv", filepath.Join(dir, "venv")).CombinedOutput(); err != nil {
		t.Fatalf("venv: %v: %s", err, out)
	}
	main := "import sys\nprint('plugin says', sys.argv[1:], sys.prefix)\nsys.exit(3)\n"
	if err := os.WriteFile(filepath.Join(dir, "__main__.py"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	stream := &pluginStream{ctx: context.Background()}
	err = (&pythonHost{}).RunPlugin(&pulumirpc.RunPluginRequest{
		Pwd:  dir,
		Args: []string{"--flag"},
		Env:  os.Environ(),
		Kind: "resource",
		Name: "fake",
		Info: &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: "."},
	}, stream)
	if err != nil {
		t.Fatal(err)
	}
	var stdout strings.Builder
	exitCode := int32(-1)
	for _, r := range stream.responses {
		stdout.Write(r.GetStdout())
		if c, ok := r.GetOutput().(*pulumirpc.RunPluginResponse_Exitcode); ok {
			exitCode = c.Exitcode
		}
	}
	want := "plugin says ['--flag'] " + filepath.Join(dir, "venv")
	if got := strings.TrimSpace(stdout.String()); got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if exitCode != 3 {
		t.Errorf("exit code on the stream = %d, want 3", exitCode)
	}
}

func TestRunPluginRefusesADebugger(t *testing.T) {
	err := (&pythonHost{}).RunPlugin(&pulumirpc.RunPluginRequest{AttachDebugger: true},
		&pluginStream{ctx: context.Background()})
	if err == nil || !strings.Contains(err.Error(), "debugger") {
		t.Errorf("err = %v", err)
	}
}
