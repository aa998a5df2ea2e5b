// A minimal Go component provider: the second peer that bench/startup/run.py
// compares launchpad with. It is served by github.com/pulumi/pulumi/sdk/v3's
// provider.Main, the entry point a hand-written Go provider uses, with a
// ResourceProviderServer that answers as the Node peer (../node-provider) does:
// a version, a one-component schema, and a Construct that registers a
// ComponentResource through the engine's monitor (provider.Construct adapts the
// request to the Go SDK's programming model). Launch contract as for any
// plugin: the engine address is the last argument, only the port goes to stdout.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

const (
	packageName = "gobench"
	version     = "0.1.0"
	greeting    = packageName + ":index:Greeting"
)

// schema is the Node peer's schema under this package's name.
var schema = map[string]any{
	"name":    packageName,
	"version": version,
	"resources": map[string]any{
		greeting: map[string]any{
			"isComponent":     true,
			"inputProperties": map[string]any{"name": map[string]any{"type": "string"}},
			"requiredInputs":  []string{"name"},
			"properties":      map[string]any{"message": map[string]any{"type": "string"}},
			"required":        []string{"message"},
		},
	},
}

// Greeting is the one component: its message is "hello, <name>".
type Greeting struct {
	pulumi.ResourceState
	Message pulumi.StringOutput `pulumi:"message"`
}

// GreetingArgs are Greeting's inputs, copied from the Construct request.
type GreetingArgs struct {
	Name pulumi.StringInput `pulumi:"name"`
}

func constructGreeting(ctx *pulumi.Context, typ, name string, inputs provider.ConstructInputs,
	options pulumi.ResourceOption,
) (*provider.ConstructResult, error) {
	if typ != greeting {
		return nil, fmt.Errorf("unknown resource type %s", typ)
	}
	var args GreetingArgs
	if err := inputs.CopyTo(&args); err != nil {
		return nil, fmt.Errorf("decoding the inputs of %s: %w", name, err)
	}
	component := &Greeting{}
	if err := ctx.RegisterComponentResource(greeting, name, component, options); err != nil {
		return nil, err
	}
	component.Message = args.Name.ToStringOutput().ApplyT(func(n string) string {
		return "hello, " + n
	}).(pulumi.StringOutput)
	if err := ctx.RegisterResourceOutputs(component, pulumi.Map{"message": component.Message}); err != nil {
		return nil, err
	}
	return provider.NewConstructResult(component)
}

// greetingProvider answers what the engine asks a component provider; the
// rest (Check, Create, ...) is the SDK's Unimplemented, as for any component-only provider.
type greetingProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
	host   *provider.HostClient
	schema string
}

func (p *greetingProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (p *greetingProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: p.schema}, nil
}

func (p *greetingProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *greetingProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{}, nil
}

func (p *greetingProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, AcceptResources: true, AcceptOutputs: true}, nil
}

func (p *greetingProvider) Construct(ctx context.Context, req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructResponse, error) {
	return provider.Construct(ctx, req, p.host.EngineConn(), constructGreeting)
}

func main() {
	encoded, err := json.Marshal(schema)
	if err != nil {
		fmt.Fprintf(os.Stderr, "encoding the schema: %v\n", err)
		os.Exit(1)
	}
	err = provider.Main("launchpad-bench", func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &greetingProvider{host: host, schema: string(encoded)}, nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%v\n", err)
		os.Exit(1)
	}
}
