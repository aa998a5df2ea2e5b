// construct-driver measures a provider plugin's memory while it serves
// Constructs (bench/startup/run.py runs it for each peer). It stands in for
// the Pulumi engine: it serves a fake engine and resource monitor on
// 127.0.0.1, launches the plugin as the engine does (argv ends with the
// engine address, the port is read from stdout, the cwd is the program's
// directory), calls GetPluginInfo and Configure, then Construct N times, at
// most -concurrency at once, as a preview (dryRun) of a program declaring N
// components would. Each Construct's component registers against the fake
// monitor, which answers like the engine's (URNs from type and parent,
// custom resources' inputs echoed, unknown outputs in a preview). It prints
// one JSON line: VmRSS after Configure, VmHWM (the peak resident set) and
// VmRSS after the N Constructs, their wall time, and the registrations seen.
// The plugin is killed on every exit path; it shares our process group, so a
// signal to the group (run.py's clean-up, Ctrl-C) reaches both.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	project      = "bench"
	stack        = "dev"
	startTimeout = 60 * time.Second
	// exchangeTimeout bounds all RPCs with the plugin together: a plugin that hangs fails the run instead of stalling it.
	exchangeTimeout = 120 * time.Second
)

// stackURN is the parent every Construct names, as the engine passes a program's stack.
var stackURN = fmt.Sprintf("urn:pulumi:%s::%s::pulumi:pulumi:Stack::%s-%s", stack, project, project, stack)

// fakeMonitor is the engine's resource monitor, reduced to what a
// component's Construct calls during a preview.
type fakeMonitor struct {
	pulumirpc.UnimplementedResourceMonitorServer
	registrations atomic.Int64
	outputs       atomic.Int64
}

// SupportsFeature claims what the Rust FakeMonitor claims (provider/protocol/src/testing.rs):
// the features every peer needs to pass secrets, resource references and output values.
func (m *fakeMonitor) SupportsFeature(_ context.Context, req *pulumirpc.SupportsFeatureRequest) (*pulumirpc.SupportsFeatureResponse, error) {
	switch req.GetId() {
	case "secrets", "resourceReferences", "outputValues":
		return &pulumirpc.SupportsFeatureResponse{HasSupport: true}, nil
	}
	return &pulumirpc.SupportsFeatureResponse{HasSupport: false}, nil
}

// qualifiedType is the engine's URN type: a child's type is prefixed by its
// parent's (joined with `$`), except under the stack.
func qualifiedType(parent, typ string) string {
	parts := strings.Split(parent, "::")
	if len(parts) < 4 || parts[2] == "pulumi:pulumi:Stack" {
		return typ
	}
	return parts[2] + "$" + typ
}

func (m *fakeMonitor) RegisterResource(_ context.Context, req *pulumirpc.RegisterResourceRequest) (*pulumirpc.RegisterResourceResponse, error) {
	m.registrations.Add(1)
	urn := fmt.Sprintf("urn:pulumi:%s::%s::%s::%s", stack, project, qualifiedType(req.GetParent(), req.GetType()), req.GetName())
	object := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	if req.GetCustom() && req.GetObject() != nil {
		// A preview knows only the inputs; the engine echoes them as the outputs.
		object = req.GetObject()
	}
	return &pulumirpc.RegisterResourceResponse{Urn: urn, Object: object}, nil
}

func (m *fakeMonitor) RegisterResourceOutputs(context.Context, *pulumirpc.RegisterResourceOutputsRequest) (*emptypb.Empty, error) {
	m.outputs.Add(1)
	return &emptypb.Empty{}, nil
}

// fakeEngine takes the plugin's log messages (and drops them: only memory is measured).
type fakeEngine struct {
	pulumirpc.UnimplementedEngineServer
}

func (e *fakeEngine) Log(context.Context, *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (e *fakeEngine) GetRootResource(context.Context, *pulumirpc.GetRootResourceRequest) (*pulumirpc.GetRootResourceResponse, error) {
	return &pulumirpc.GetRootResourceResponse{Urn: stackURN}, nil
}

// procStatusKiB reads one "Vm...: N kB" field of /proc/<pid>/status.
func procStatusKiB(pid int, field string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// keyValues collects repeated -config key=value flags.
type keyValues map[string]string

func (kv keyValues) String() string { return fmt.Sprint(map[string]string(kv)) }

func (kv keyValues) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("-config wants key=value, got %q", s)
	}
	kv[k] = v
	return nil
}

// result is the JSON line printed on success.
type result struct {
	Constructs        int     `json:"constructs"`
	Concurrency       int     `json:"concurrency"`
	Registrations     int64   `json:"registrations"`
	OutputsCalls      int64   `json:"register_outputs"`
	WallMs            float64 `json:"wall_ms"`
	RSSIdleKiB        int64   `json:"rss_idle_kib"`
	RSSPeakKiB        int64   `json:"rss_peak_kib"`
	RSSAfterKiB       int64   `json:"rss_after_kib"`
	StartupMs         float64 `json:"startup_ms"`
	ConstructMedianMs float64 `json:"construct_median_ms"`
}

func main() {
	var (
		typ         = flag.String("type", "", "the component's type token")
		inputsJSON  = flag.String("inputs", "{}", "the component's inputs, a JSON object")
		n           = flag.Int("constructs", 100, "how many Constructs")
		concurrency = flag.Int("concurrency", 100, "Constructs in flight at once (a program's components all register at once)")
		cwd         = flag.String("cwd", ".", "the program's directory, where the plugin is started")
	)
	config := keyValues{}
	flag.Var(config, "config", "stack config key=value (repeatable)")
	flag.Parse()
	if *typ == "" || flag.NArg() == 0 || *n < 1 || *concurrency < 1 {
		fmt.Fprintln(os.Stderr, "usage: construct-driver -type TOKEN [-inputs JSON] [-constructs N] [-concurrency C] [-cwd DIR] [-config k=v]... -- PLUGIN [ARGS...]")
		os.Exit(2)
	}
	res, err := run(*typ, *inputsJSON, *n, *concurrency, *cwd, config, flag.Args())
	if err != nil {
		fmt.Fprintf(os.Stderr, "construct-driver: %v\n", err)
		os.Exit(1)
	}
	line, err := json.Marshal(res)
	if err != nil {
		fmt.Fprintf(os.Stderr, "construct-driver: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(string(line))
}

func run(typ, inputsJSON string, n, concurrency int, cwd string, config keyValues, argv []string) (*result, error) {
	var raw map[string]any
	if err := json.Unmarshal([]byte(inputsJSON), &raw); err != nil {
		return nil, fmt.Errorf("-inputs: %w", err)
	}
	inputs, err := structpb.NewStruct(raw)
	if err != nil {
		return nil, fmt.Errorf("-inputs: %w", err)
	}

	// The fake engine and monitor, on one port as the engine serves both.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	server := grpc.NewServer()
	monitor := &fakeMonitor{}
	pulumirpc.RegisterResourceMonitorServer(server, monitor)
	pulumirpc.RegisterEngineServer(server, &fakeEngine{})
	healthpb.RegisterHealthServer(server, health.NewServer())
	go func() { _ = server.Serve(lis) }()
	defer server.Stop()
	address := lis.Addr().String()

	cmd := exec.Command(argv[0], append(argv[1:], address)...)
	cmd.Dir = cwd
	cmd.Stderr = os.Stderr
	// The plugin stays in our process group: whoever runs us (run.py, a
	// terminal) stops both with one signal to the group, even if we die first.
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pid := cmd.Process.Pid
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()

	port, err := readPort(stdout)
	if err != nil {
		return nil, err
	}
	startup := time.Since(t0)
	conn, err := grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	plugin := pulumirpc.NewResourceProviderClient(conn)

	ctx, cancel := context.WithTimeout(context.Background(), exchangeTimeout)
	defer cancel()
	if _, err := plugin.GetPluginInfo(ctx, &emptypb.Empty{}); err != nil {
		return nil, fmt.Errorf("GetPluginInfo: %w", err)
	}
	if _, err := plugin.Configure(ctx, &pulumirpc.ConfigureRequest{
		Variables: config, AcceptSecrets: true, AcceptResources: true,
	}); err != nil {
		return nil, fmt.Errorf("Configure: %w", err)
	}
	idle, err := procStatusKiB(pid, "VmRSS")
	if err != nil {
		return nil, err
	}

	durations := make([]time.Duration, n)
	errs := make([]error, n)
	slots := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	started := time.Now()
	for i := range n {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			c0 := time.Now()
			errs[i] = construct(ctx, plugin, address, typ, fmt.Sprintf("c%d", i), inputs, config)
			durations[i] = time.Since(c0)
		}()
	}
	wg.Wait()
	wall := time.Since(started)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	peak, err := procStatusKiB(pid, "VmHWM")
	if err != nil {
		return nil, err
	}
	after, err := procStatusKiB(pid, "VmRSS")
	if err != nil {
		return nil, err
	}
	registrations := monitor.registrations.Load()
	// Every Construct registers at least its component: fewer means a peer answered without doing the work.
	if registrations < int64(n) {
		return nil, fmt.Errorf("%d Constructs registered only %d resources", n, registrations)
	}
	return &result{
		Constructs: n, Concurrency: concurrency,
		Registrations: registrations, OutputsCalls: monitor.outputs.Load(),
		WallMs: ms(wall), RSSIdleKiB: idle, RSSPeakKiB: peak, RSSAfterKiB: after,
		StartupMs: ms(startup), ConstructMedianMs: ms(median(durations)),
	}, nil
}

// parallel is what the engine passes a Construct by default: `--parallel`'s default, 4 × GOMAXPROCS.
func parallel() int32 { return int32(4 * runtime.GOMAXPROCS(0)) }

// construct sends one Construct as the engine does for a component in a preview.
func construct(ctx context.Context, plugin pulumirpc.ResourceProviderClient, monitor, typ, name string,
	inputs *structpb.Struct, config keyValues,
) error {
	resp, err := plugin.Construct(ctx, &pulumirpc.ConstructRequest{
		Project: project, Stack: stack, Config: config, DryRun: true, Parallel: parallel(),
		MonitorEndpoint: monitor, Type: typ, Name: name, Parent: stackURN, Inputs: inputs,
		AcceptsOutputValues: true,
	})
	if err != nil {
		return fmt.Errorf("Construct %s: %w", name, err)
	}
	if resp.GetUrn() == "" {
		return fmt.Errorf("Construct %s: the answer has no URN", name)
	}
	return nil
}

// readPort reads the plugin's first stdout line, which must be its port alone.
func readPort(stdout io.Reader) (string, error) {
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		port := strings.TrimSpace(line)
		if _, err := strconv.Atoi(port); err != nil {
			return "", fmt.Errorf("the plugin's first stdout line must be its port alone, got %q", line)
		}
		return port, nil
	case <-time.After(startTimeout):
		return "", fmt.Errorf("no port line within %s", startTimeout)
	}
}

func median(ds []time.Duration) time.Duration {
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	return sorted[len(sorted)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }
