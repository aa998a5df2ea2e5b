package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// serve runs the stand-in in-process on 127.0.0.1 and returns a client.
func serve(t *testing.T, record string) pulumirpc.ResourceProviderClient {
	t.Helper()
	s := fixture(t)
	rec, err := OpenRecorder(record, s.Package, func(err error) { t.Errorf("record: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	pulumirpc.RegisterResourceProviderServer(srv, newStandin(s, false, rec, log.New(io.Discard, "", 0)))
	go func() { _ = srv.Serve(lis) }()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(); srv.Stop(); rec.Close() })
	return pulumirpc.NewResourceProviderClient(conn)
}

func mustStruct(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(m, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustMap(t *testing.T, s *structpb.Struct) resource.PropertyMap {
	t.Helper()
	m, err := plugin.UnmarshalProperties(s, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const urnDist = "urn:pulumi:dev::proj::launchpad:index:StaticSite$test:cdn/distribution:Distribution::site-cdn"

func TestProtocol(t *testing.T) {
	ctx := context.Background()
	recPath := filepath.Join(t.TempDir(), "calls.jsonl")
	c := serve(t, recPath)

	hs, err := c.Handshake(ctx, &pulumirpc.ProviderHandshakeRequest{EngineAddress: "127.0.0.1:1"})
	if err != nil || !hs.AcceptSecrets || !hs.AcceptResources {
		t.Fatalf("Handshake: %v %v", hs, err)
	}
	if _, err := c.Attach(ctx, &pulumirpc.PluginAttach{Address: "127.0.0.1:1"}); err != nil {
		t.Fatalf("Attach: %v", err)
	}
	cf, err := c.Configure(ctx, &pulumirpc.ConfigureRequest{})
	if err != nil || !cf.AcceptSecrets || !cf.SupportsPreview || !cf.AcceptResources {
		t.Fatalf("Configure: %v %v", cf, err)
	}
	info, err := c.GetPluginInfo(ctx, &emptypb.Empty{})
	if err != nil || info.Version != "1.2.3" {
		t.Fatalf("GetPluginInfo: %v %v", info, err)
	}
	if _, err := c.CheckConfig(ctx, &pulumirpc.CheckRequest{News: mustStruct(t, resource.PropertyMap{"region": resource.NewProperty("x")})}); err != nil {
		t.Fatalf("CheckConfig: %v", err)
	}

	// Check: bad inputs -> failures, not an error
	bad := resource.NewPropertyMapFromMap(obj{"enabled": "nope", "origins": arr{obj{"domainName": "a"}}, "bogus": 1})
	ck, err := c.Check(ctx, &pulumirpc.CheckRequest{Urn: urnDist, News: mustStruct(t, bad)})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	var got []string
	for _, f := range ck.Failures {
		got = append(got, f.Property+": "+f.Reason)
	}
	want := []string{
		`bogus: unknown property "bogus": test:cdn/distribution:Distribution has no input property of that name`,
		`defaultCacheBehavior: missing required property "defaultCacheBehavior" (of test:cdn/distribution:Distribution; type cdn.CacheBehavior)`,
		`enabled: expected boolean, got "nope" of type string`,
		`origins[0].originId: missing required property "originId" (of cdn.Origin; type string)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("Check failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Check: unknown token -> a clear gRPC error
	_, err = c.Check(ctx, &pulumirpc.CheckRequest{Urn: "urn:pulumi:dev::proj::test:cdn/distro:Distro::x", News: &structpb.Struct{}})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), `unknown resource type "test:cdn/distro:Distro"`) {
		t.Fatalf("Check unknown token: %v", err)
	}

	// Check: good inputs with unknowns and secrets pass and come back unchanged
	good := resource.NewPropertyMapFromMap(validDist())
	good["password"] = resource.MakeSecret(resource.NewProperty("pw"))
	good["comment"] = unk()
	ck, err = c.Check(ctx, &pulumirpc.CheckRequest{Urn: urnDist, Type: "test:cdn/distribution:Distribution", News: mustStruct(t, good)})
	if err != nil || len(ck.Failures) != 0 {
		t.Fatalf("Check good: %v %v", ck.GetFailures(), err)
	}
	if !mustMap(t, ck.Inputs).DeepEquals(good) {
		t.Fatalf("Check changed the inputs: %v", mustMap(t, ck.Inputs))
	}

	// Create preview: inputs + every other computed output unknown (optional ones absent), no id
	cr, err := c.Create(ctx, &pulumirpc.CreateRequest{Urn: urnDist, Properties: mustStruct(t, good), Preview: true})
	if err != nil {
		t.Fatalf("Create preview: %v", err)
	}
	outs := mustMap(t, cr.Properties)
	if cr.Id != "" || !outs["arn"].IsComputed() || !outs["domainName"].IsComputed() || !outs["etag"].IsComputed() ||
		outs.HasValue("priceClass") {
		t.Fatalf("Create preview: id=%q outs=%v", cr.Id, outs)
	}
	if !outs["enabled"].DeepEquals(resource.NewProperty(true)) || !outs["password"].IsSecret() {
		t.Fatalf("Create preview lost inputs: %v", outs)
	}

	// Create for real: deterministic id and outputs
	real1, err := c.Create(ctx, &pulumirpc.CreateRequest{Urn: urnDist, Properties: mustStruct(t, resource.NewPropertyMapFromMap(validDist()))})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	real2, _ := c.Create(ctx, &pulumirpc.CreateRequest{Urn: urnDist, Properties: mustStruct(t, resource.NewPropertyMapFromMap(validDist()))})
	o1, o2 := mustMap(t, real1.Properties), mustMap(t, real2.Properties)
	if real1.Id == "" || real1.Id != real2.Id || !o1.DeepEquals(o2) {
		t.Fatalf("Create not deterministic: %q %q", real1.Id, real2.Id)
	}
	if !strings.HasPrefix(real1.Id, "site-cdn-") ||
		o1["arn"].StringValue() != "arn:aws:cdn:us-east-1:123456789012:distribution/"+real1.Id ||
		!strings.HasSuffix(o1["domainName"].StringValue(), ".cdn.standin.test") ||
		o1["inProgressValidationBatches"].NumberValue() != 1 || o1.HasValue("comment") {
		t.Fatalf("Create outputs: id=%q %v", real1.Id, o1)
	}

	// Diff: changed keys, replaceOnChanges honoured
	news := resource.NewPropertyMapFromMap(validDist())
	news["enabled"] = resource.NewProperty(false)
	news["ttl"] = resource.NewProperty(5.0)
	df, err := c.Diff(ctx, &pulumirpc.DiffRequest{Urn: urnDist, Id: real1.Id, Olds: real1.Properties,
		OldInputs: mustStruct(t, resource.NewPropertyMapFromMap(validDist())), News: mustStruct(t, news)})
	if err != nil {
		t.Fatalf("Diff: %v", err)
	}
	if df.Changes != pulumirpc.DiffResponse_DIFF_SOME || strings.Join(df.Diffs, ",") != "enabled,ttl" ||
		strings.Join(df.Replaces, ",") != "ttl" || df.DetailedDiff["enabled"].Kind != pulumirpc.PropertyDiff_UPDATE ||
		df.DetailedDiff["ttl"].Kind != pulumirpc.PropertyDiff_ADD_REPLACE {
		t.Fatalf("Diff: %v", df)
	}
	df, _ = c.Diff(ctx, &pulumirpc.DiffRequest{Urn: urnDist, OldInputs: mustStruct(t, news), News: mustStruct(t, news)})
	if df.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("Diff of equal inputs: %v", df)
	}

	// Update preview keeps old outputs, marks nothing else
	up, err := c.Update(ctx, &pulumirpc.UpdateRequest{Urn: urnDist, Id: real1.Id, Olds: real1.Properties, News: mustStruct(t, news), Preview: true})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	uo := mustMap(t, up.Properties)
	if uo["arn"].StringValue() != o1["arn"].StringValue() || uo["enabled"].BoolValue() {
		t.Fatalf("Update preview: %v", uo)
	}

	if _, err := c.Delete(ctx, &pulumirpc.DeleteRequest{Urn: urnDist, Id: real1.Id}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err = c.Invoke(ctx, &pulumirpc.InvokeRequest{Tok: "test:index/getRegion:getRegion"})
	if status.Code(err) != codes.Unimplemented || !strings.Contains(err.Error(), "getRegion") {
		t.Fatalf("Invoke: %v", err)
	}

	// the record file: one JSON line per call, inputs in wire form
	b, err := os.ReadFile(recPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var methods []string
	for _, l := range lines {
		var r struct {
			Method, Token, URN string
			Preview            bool
			Inputs             map[string]any
			Failures           []Failure
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("record line %q: %v", l, err)
		}
		methods = append(methods, r.Method)
		if r.Method == "Check" && r.Token == "test:cdn/distribution:Distribution" && len(r.Failures) == 0 {
			if r.URN != urnDist || r.Inputs["enabled"] != true {
				t.Errorf("record: %s", l)
			}
			sec, _ := r.Inputs["password"].(map[string]any)
			if sec["4dabf18193072939515e22adb298388d"] != "1b47061264138c4ac30d75fd1eb44270" || sec["value"] != "pw" {
				t.Errorf("record: secret not in wire form: %s", l)
			}
			if r.Inputs["comment"] != "04da6b54-80e4-46f7-96ec-b56ff0331ba9" {
				t.Errorf("record: unknown not in wire form: %s", l)
			}
		}
	}
	if got := strings.Join(methods, ","); got != "Check,Check,Check,Create,Create,Create,Update,Delete" {
		t.Fatalf("recorded methods: %s", got)
	}
}

// TestBinaryLaunchContract builds the binary and checks the plugin launch contract:
// only the port on stdout, unknown flags ignored, clean exit on SIGTERM/SIGINT.
func TestBinaryLaunchContract(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "standin")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "--logtostderr", "-v=9", "--package", "test", "--schema=testdata/schema.json",
			"--tracing", "127.0.0.1:9", "127.0.0.1:12345")
		stdout, _ := cmd.StdoutPipe()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		rd := bufio.NewReader(stdout)
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("reading port: %v (stderr: %s)", err, stderr.String())
		}
		port, err := strconv.Atoi(strings.TrimSuffix(line, "\n"))
		if err != nil || port <= 0 {
			t.Fatalf("stdout line %q is not a port", line)
		}
		conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		info, err := pulumirpc.NewResourceProviderClient(conn).GetPluginInfo(ctx, &emptypb.Empty{})
		cancel()
		conn.Close()
		if err != nil || info.Version != "1.2.3" {
			t.Fatalf("GetPluginInfo: %v %v", info, err)
		}
		_ = cmd.Process.Signal(sig)
		done := make(chan error, 1)
		var rest []byte
		go func() { rest, _ = io.ReadAll(rd); done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%v: exit: %v (stderr: %s)", sig, err, stderr.String())
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("%v: did not exit", sig)
		}
		if len(rest) != 0 {
			t.Fatalf("extra stdout: %q", rest)
		}
		if !strings.Contains(stderr.String(), `ignoring unknown flag "--logtostderr"`) {
			t.Errorf("stderr: %s", stderr.String())
		}
	}
	// a missing schema fails before serving, with a message
	out, err := exec.Command(bin, "--package", "aws").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--schema") {
		t.Fatalf("no --schema: %v %s", err, out)
	}
}
