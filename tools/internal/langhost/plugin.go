package langhost

// RunPlugin: the engine asks a language host to run a plugin written in its language from
// source (a provider, a tool, or a policy pack: `pulumi preview --policy-pack <dir>`).
// The plugin's stdout/stderr go back over the response stream; the plugin prints its own
// port there, which the engine reads. Policy packs written against @pulumi/policy or the
// Python `pulumi_policy` expect the stack's identity in environment variables, so for them
// the host first serves upstream's PolicyProxy, takes the engine's stack configuration,
// then starts the pack with those variables and proxies the analyzer calls to it.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// IsPolicyPack tells whether a RunPluginRequest asks for a policy pack (kind analyzer).
func IsPolicyPack(req *pulumirpc.RunPluginRequest) bool {
	return req.GetKind() == string(apitype.AnalyzerPlugin)
}

// PolicyEnv names the environment variables a language's policy SDK reads the stack's
// identity and configuration from (nodejs: PULUMI_NODEJS_*, python: PULUMI_*).
type PolicyEnv struct {
	Organization, Project, Stack, DryRun string
}

// PluginRun is a plugin program ready to start: Cmd has its Dir and Env set by the language.
type PluginRun struct {
	Cmd *exec.Cmd
	// Policy is set for a policy pack: the variables its SDK reads.
	Policy *PolicyEnv
	// ExitCodeInStream reports a non-zero exit as an exit code on the stream (upstream's
	// python host) instead of as an error (upstream's nodejs host).
	ExitCodeInStream bool
}

// CheckNoDebugger refuses a RunPlugin that asks for a debugger: our hosts do not attach one.
func CheckNoDebugger(req *pulumirpc.RunPluginRequest) error {
	if req.GetAttachDebugger() {
		return status.Error(codes.Unimplemented, "attaching a debugger to a plugin is not supported by this language host")
	}
	return nil
}

// RunPlugin runs run.Cmd with its output on the response stream until it exits (or, for
// a policy pack, until the engine is done with it), then reports how it ended.
func RunPlugin(server pulumirpc.LanguageRuntime_RunPluginServer, run PluginRun) error {
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	// Best effort on early returns; the explicit Close at the end reports its error.
	defer closer.Close()

	var proxy *sdk.PolicyProxy
	if run.Policy != nil {
		// The proxy prints its own port on stdout for the engine, then the engine configures
		// the stack; the pack's own stdout (its port) is read by the proxy, not the engine.
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		config, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		if config != nil {
			if run.Cmd.Env, err = policyEnv(run.Cmd.Env, *run.Policy, config); err != nil {
				return err
			}
		}
	}

	cmd := run.Cmd
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Start()
	if err == nil {
		if proxy != nil {
			err = proxy.Attach(ctx, cmd)
		} else {
			err = cmd.Wait()
		}
	}
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return fmt.Errorf("problem executing plugin program (could not run language executor): %w", err)
		}
		ws, ok := exitErr.Sys().(syscall.WaitStatus)
		switch {
		case !ok:
			return fmt.Errorf("plugin program exited unexpectedly: %w", exitErr)
		case run.ExitCodeInStream:
			return server.Send(&pulumirpc.RunPluginResponse{
				Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(ws.ExitStatus())},
			})
		default:
			return fmt.Errorf("plugin program exited with non-zero exit code: %d", ws.ExitStatus())
		}
	}
	return closer.Close()
}

// policyEnv adds the stack's identity and configuration (PULUMI_CONFIG) to env.
func policyEnv(env []string, names PolicyEnv, config *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add(names.Organization, config.GetOrganization())
	add(names.Project, config.GetProject())
	add(names.Stack, config.GetStack())
	add(names.DryRun, strconv.FormatBool(config.GetDryRun()))
	if config.GetConfig() != nil {
		b, err := json.Marshal(config.GetConfig())
		if err != nil {
			return nil, fmt.Errorf("could not marshal stack configuration: %w", err)
		}
		add("PULUMI_CONFIG", string(b))
	}
	return env, nil
}
