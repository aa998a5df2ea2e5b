// Command pulumi-language-go is launchpad's Pulumi language host for Go
// programs: it builds the program with `go build` and runs the binary with the
// engine's settings in its environment, as upstream's pulumi-language-go does,
// reports the Pulumi packages the program's go.mod requires, and generates Go
// SDKs. Upstream's host is its own Go module, which the module proxy here does
// not serve; README.md ("Language hosts") lists where this one differs.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"launchpad.dev/tools/internal/langhost"
)

func main() {
	err := langhost.Serve(os.Args[1:], func(engine string) pulumirpc.LanguageRuntimeServer {
		return &goHost{Host: langhost.NewHost(engine)}
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-go:", err)
		os.Exit(1)
	}
}

type goHost struct {
	*langhost.Host
}

// options are the `runtime.options` of Pulumi.yaml that upstream's Go host reads.
type options struct {
	binary      string // run this prebuilt executable (looked up on PATH) instead of building
	buildTarget string // build the program to this path and keep it, instead of a temporary file
}

func parseOptions(raw map[string]any) (options, error) {
	var o options
	var ok bool
	if v, has := raw["binary"]; has {
		if o.binary, ok = v.(string); !ok {
			return o, errors.New("runtime option binary must be a string")
		}
	}
	if v, has := raw["buildTarget"]; has {
		if o.buildTarget, ok = v.(string); !ok {
			return o, errors.New("runtime option buildTarget must be a string")
		}
	}
	if o.binary != "" && o.buildTarget != "" {
		return o, errors.New("runtime options binary and buildTarget cannot both be set")
	}
	return o, nil
}

// runEnv is how the Go SDK (pulumi.Run) learns everything about the run: it
// takes no flags, only these variables, each left out when empty as upstream does.
func runEnv(base []string, req *pulumirpc.RunRequest, engine string) ([]string, error) {
	var cfg string
	if req.GetConfig() != nil {
		var err error
		if cfg, err = langhost.ConfigJSON(req.GetConfig(), false); err != nil {
			return nil, fmt.Errorf("serialize config: %w", err)
		}
	}
	secrets, err := langhost.SecretKeysJSON(req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	env := append([]string(nil), base...)
	for _, kv := range [][2]string{
		{pulumi.EnvOrganization, req.GetOrganization()},
		{pulumi.EnvProject, req.GetProject()},
		{pulumi.EnvPulumiRootDirectory, req.GetInfo().GetRootDirectory()},
		{pulumi.EnvStack, req.GetStack()},
		{pulumi.EnvConfig, cfg},
		{pulumi.EnvConfigSecretKeys, secrets},
		{pulumi.EnvDryRun, strconv.FormatBool(req.GetDryRun())},
		{pulumi.EnvParallel, strconv.Itoa(int(req.GetParallel()))},
		{pulumi.EnvMonitor, req.GetMonitorAddress()},
		{pulumi.EnvEngine, engine},
	} {
		if kv[1] != "" {
			env = append(env, kv[0]+"="+kv[1])
		}
	}
	return env, nil
}

// buildProgram runs `go build` (upstream's flags) in the program directory, its output
// going to the engine, and returns the binary. An empty outfile builds to a new
// temporary file, which the caller removes.
func buildProgram(ctx context.Context, gobin, programDir, outfile string) (string, error) {
	if matches, _ := filepath.Glob(filepath.Join(programDir, "*.go")); len(matches) == 0 {
		return "", fmt.Errorf("no .go files in %s for `go build`", programDir)
	}
	if outfile == "" {
		f, err := os.CreateTemp("", "pulumi-go.*")
		if err != nil {
			return "", fmt.Errorf("create the program's binary: %w", err)
		}
		if err := f.Close(); err != nil {
			return "", err
		}
		outfile = f.Name()
	}
	// Upstream's flags: no VCS stamping (it fails the build in a checkout git cannot read,
	// e.g. one owned by another user), and a binary without build paths or debug tables.
	cmd := exec.CommandContext(ctx, gobin, "build", "-buildvcs=false", "-o", outfile,
		"-trimpath", "-ldflags", "-w -s")
	cmd.Dir = programDir
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return outfile, fmt.Errorf("unable to run `go build`: %w", err)
	}
	info, err := os.Stat(outfile)
	if err != nil {
		return outfile, err
	}
	if info.Mode()&0o111 == 0 {
		return outfile, errors.New("go program is not executable, does your program have a 'main' package?")
	}
	return outfile, nil
}

func (h *goHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if h.Engine() == "" {
		return nil, errors.New("when debugging or running explicitly, must call Handshake before Run")
	}
	if req.GetAttachDebugger() {
		// Upstream runs the program under dlv; we ship no debugger.
		return &pulumirpc.RunResponse{Error: "attaching a debugger to a Go program is not supported by this host"}, nil
	}
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return nil, err
	}
	env, err := runEnv(os.Environ(), req, h.Engine())
	if err != nil {
		return nil, fmt.Errorf("failed to prepare environment: %w", err)
	}

	var program string
	if opts.binary != "" {
		if program, err = exec.LookPath(opts.binary); err != nil {
			return nil, fmt.Errorf("unable to find '%s' executable: %w", opts.binary, err)
		}
	} else {
		gobin, err := exec.LookPath("go")
		if err != nil {
			return nil, fmt.Errorf("unable to find 'go' executable: %w", err)
		}
		program, err = buildProgram(ctx, gobin, req.GetInfo().GetProgramDirectory(), opts.buildTarget)
		if opts.buildTarget == "" && program != "" {
			defer os.Remove(program)
		}
		if err != nil {
			return nil, fmt.Errorf("error in compiling Go: %w", err)
		}
	}

	cmd := exec.CommandContext(ctx, program)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	return h.RunProgram(cmd), nil
}

// GetRequiredPackages reports the Pulumi packages among the modules the
// program's go.mod requires (see packages.go). Like upstream it never fails a
// run over this: a program outside a module, or a module it cannot read,
// simply requires nothing.
func (h *goHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("couldn't find go binary: %w", err)
	}
	return &pulumirpc.GetRequiredPackagesResponse{
		Packages: requiredPackages(ctx, gobin, req.GetInfo().GetProgramDirectory()),
	}, nil
}

// InstallDependencies runs `go mod tidy` in the program directory, as upstream does.
func (h *goHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	fmt.Fprintf(stdout, "Installing dependencies...\n\n")
	gobin, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("unable to find 'go' executable: %w", err)
	}
	cmd := exec.CommandContext(server.Context(), gobin, "mod", "tidy", "-compat=1.18")
	cmd.Dir = req.GetInfo().GetProgramDirectory()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("`go mod tidy` failed to install dependencies: %w", err)
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

// About reports the go binary and `go version`.
func (h *goHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("could not find executable 'go': %w", err)
	}
	out, err := exec.CommandContext(ctx, gobin, "version").Output()
	if err != nil {
		return nil, fmt.Errorf("failed to execute '%s version': %w", gobin, err)
	}
	return &pulumirpc.AboutResponse{Executable: gobin, Version: strings.TrimSpace(string(out))}, nil
}

// GetProgramDependencies lists go.mod's requirements (the indirect ones only
// when asked for transitive dependencies); a module replaced by a local copy
// has no version.
func (h *goHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("couldn't find go binary: %w", err)
	}
	_, gomod, err := loadGoMod(ctx, gobin, req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, fmt.Errorf("load go.mod: %w", err)
	}
	return langhost.DependenciesResponse(programDependencies(gomod, req.GetTransitiveDependencies())), nil
}

func (h *goHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	if len(req.GetExtraFiles()) > 0 {
		return nil, errors.New("overlays are not supported for Go")
	}
	return langhost.GeneratePackage(req, func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
		_ schema.ReferenceLoader,
	) (map[string][]byte, error) {
		// The tool name ends up in the generated files' headers, as upstream's does.
		files, err := codegen.GeneratePackage("pulumi-language-go", pkg, req.GetLocalDependencies())
		if err != nil {
			return nil, err
		}
		return files, addGoMod(pkg, files)
	})
}
