// Package langhost holds what our two Pulumi language hosts (nodejs, python)
// share: the plugin launch contract, the gRPC server, the common RPCs, running
// the user's program as a child process, and SDK generation.
//
// The upstream hosts are separate Go modules that the module proxy here does
// not serve, so launchpad builds these small equivalents from pkg/v3 + sdk/v3.
package langhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// ActionableExitCode is the exit code both SDKs use after they have already
// reported the error to the engine themselves; the host then only bails.
const ActionableExitCode = 32

// Version is what GetPluginInfo reports: the CLI's version, set with
// -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=vX at build time.
func Version() string {
	if version.Version == "" {
		return "0.0.0-dev"
	}
	return strings.TrimPrefix(version.Version, "v")
}

// EngineAddress picks the engine's address out of the plugin command line.
// The engine passes it as the last positional argument, possibly after flags
// (-tracing X, -v=N, --logtostderr, -root=...); all flags are ignored.
func EngineAddress(args []string) string {
	if len(args) == 0 {
		return ""
	}
	last := args[len(args)-1]
	if strings.HasPrefix(last, "-") {
		return ""
	}
	// A lone "-tracing <url>" without an address must not be read as one.
	if len(args) >= 2 {
		switch strings.TrimLeft(args[len(args)-2], "-") {
		case "tracing", "root", "binary":
			return ""
		}
	}
	return last
}

// Host implements the RPCs that are the same for every language. A language
// embeds it and adds Run, InstallDependencies, About, GetProgramDependencies
// and GeneratePackage; everything else answers codes.Unimplemented.
type Host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	// cancelCtx is cancelled by the Cancel RPC; running programs get SIGINT.
	cancelCtx context.Context
	cancel    context.CancelFunc
}

// NewHost returns a Host that knows the engine address from the command line
// (it may be empty until Handshake supplies it).
func NewHost(engineAddress string) *Host {
	ctx, cancel := context.WithCancel(context.Background())
	return &Host{engineAddress: engineAddress, cancelCtx: ctx, cancel: cancel}
}

// Engine returns the engine's gRPC address.
func (h *Host) Engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// Handshake records the engine address (the engine's newer way to pass it).
func (h *Host) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// GetPluginInfo reports the pinned Pulumi version.
func (h *Host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version()}, nil
}

// GetRequiredPlugins returns nothing: plugins are never acquired automatically in
// our runs; providers come from Pulumi.yaml `plugins`, PATH or the plugin cache.
func (h *Host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages returns nothing, for the same reason as GetRequiredPlugins.
func (h *Host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// RuntimeOptionsPrompts asks nothing (only `pulumi new` uses it).
func (h *Host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Cancel interrupts any program that is running.
func (h *Host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}

// DependenciesResponse lists a program's packages as GetProgramDependencies answers.
func DependenciesResponse(pkgs []plugin.DependencyInfo) *pulumirpc.GetProgramDependenciesResponse {
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, p := range pkgs {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return resp
}

// ConfigJSON serialises the run's configuration for the PULUMI_CONFIG variable.
// legacyKeys rewrites "pkg:name" to "pkg:config:name", the form the nodejs SDK reads.
func ConfigJSON(cfg map[string]string, legacyKeys bool) (string, error) {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		if legacyKeys {
			key, err := config.ParseKey(k)
			if err != nil {
				return "", err
			}
			k = key.Namespace() + ":config:" + key.Name()
		}
		out[k] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// SecretKeysJSON serialises the secret config keys for PULUMI_CONFIG_SECRET_KEYS.
func SecretKeysJSON(keys []string) (string, error) {
	if keys == nil {
		keys = []string{}
	}
	b, err := json.Marshal(keys)
	return string(b), err
}

// FlagArgs renders "--name value" pairs, leaving out empty values.
func FlagArgs(pairs ...string) []string {
	var args []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			args = append(args, "--"+pairs[i], pairs[i+1])
		}
	}
	return args
}

// RunProgram starts cmd with the host's stdout/stderr (the engine shows them),
// waits, and turns the outcome into a RunResponse.
// cmd must come from exec.CommandContext so that ending the request stops it.
func (h *Host) RunProgram(cmd *exec.Cmd) *pulumirpc.RunResponse {
	// The engine reads the host's own stdout/stderr; copying through a pipe keeps a
	// child that changes the blocking mode of its descriptors (node does) from
	// affecting ours.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	cmd.WaitDelay = 5 * time.Second
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }

	err := cmd.Start()
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start %s: %v", cmd.Path, err)}
	}
	stop := context.AfterFunc(h.cancelCtx, func() { _ = cmd.Process.Signal(os.Interrupt) })
	defer stop()
	err = cmd.Wait()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	return RunResult(err)
}

// RunResult maps the program's exit status to a RunResponse: success, Bail (the
// SDK already reported the error) or the error text the engine will print.
func RunResult(err error) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		switch code := exitErr.ExitCode(); code {
		case ActionableExitCode:
			return &pulumirpc.RunResponse{Bail: true}
		case -1:
			return &pulumirpc.RunResponse{Error: "program was terminated: " + exitErr.String()}
		default:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited with non-zero exit code: %d", code)}
		}
	}
	return &pulumirpc.RunResponse{Error: "problem executing program: " + err.Error()}
}

// Generator is a language's SDK generator: schema package -> files.
type Generator func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
	loader schema.ReferenceLoader) (map[string][]byte, error)

// GeneratePackage binds the schema the engine sends (resolving references via
// the engine's schema loader) and writes what gen produces into req.Directory.
func GeneratePackage(
	req *pulumirpc.GeneratePackageRequest, gen Generator,
) (*pulumirpc.GeneratePackageResponse, error) {
	client, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("parse schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
	if diags.HasErrors() {
		return resp, nil
	}

	files, err := gen(pkg, req, loader)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		path := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// Serve runs a language host: read the engine address from args, serve srv on
// 127.0.0.1 at a free port, print only the port, and block until the engine
// goes away or SIGINT/SIGTERM arrives.
func Serve(args []string, newServer func(engineAddress string) pulumirpc.LanguageRuntimeServer) error {
	for _, a := range args {
		if a == "-version" || a == "--version" {
			fmt.Println(Version())
			return nil
		}
	}
	engine := EngineAddress(args)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if engine != "" {
		// Exit by ourselves when the engine that launched us disappears.
		if err := rpcutil.Healthcheck(ctx, engine, 5*time.Minute, stop); err != nil {
			return fmt.Errorf("engine health check: %w", err)
		}
	}
	done := make(chan bool)
	go func() { <-ctx.Done(); close(done) }()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: done,
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(s, newServer(engine))
			return nil
		},
	})
	if err != nil {
		return err
	}
	fmt.Printf("%d\n", handle.Port)
	return <-handle.Done
}
