package main

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

const (
	urnBucket = "urn:pulumi:dev::proj::launchpad:index:StaticSite$aws:s3/bucket:Bucket::site-bucket"
	urnCDN    = "urn:pulumi:dev::proj::launchpad:index:StaticSite$aws:cloudfront/distribution:Distribution::site-cdn"
)

// serveMirroring runs the stand-in with testdata/emulator-schema.json (package aws),
// mirroring into the emulator at URL ("" = no --emulator).
func serveMirroring(t *testing.T, emulatorURL string) pulumirpc.ResourceProviderClient {
	t.Helper()
	s, err := LoadSchema("testdata/emulator-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := OpenRecorder("", s.Package, func(err error) { t.Errorf("record: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	p := newStandin(s, false, rec, log.New(io.Discard, "", 0))
	if emulatorURL != "" {
		if p.emulator, err = NewEmulator(emulatorURL); err != nil {
			t.Fatal(err)
		}
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	pulumirpc.RegisterResourceProviderServer(srv, p)
	go func() { _ = srv.Serve(lis) }()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(); srv.Stop(); rec.Close() })
	return pulumirpc.NewResourceProviderClient(conn)
}

func bucketInputs() resource.PropertyMap {
	return resource.NewPropertyMapFromMap(obj{"bucketPrefix": "my-site-", "tags": obj{"app": "site"}})
}

func distInputs(originDomain string) resource.PropertyMap {
	m := resource.NewPropertyMapFromMap(obj{
		"enabled": true,
		"comment": "launchpad StaticSite site",
		"origins": arr{obj{"domainName": originDomain, "originId": "s3", "originAccessControlId": "oac-1"}},
		"defaultCacheBehavior": obj{"targetOriginId": "s3", "viewerProtocolPolicy": "redirect-to-https",
			"allowedMethods": arr{"GET", "HEAD"}, "cachedMethods": arr{"GET", "HEAD"}},
		"defaultRootObject": "index.html",
	})
	return m
}

func create(t *testing.T, c pulumirpc.ResourceProviderClient, urn string, inputs resource.PropertyMap) (string, resource.PropertyMap) {
	t.Helper()
	resp, err := c.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urn, Properties: mustStruct(t, inputs)})
	if err != nil {
		t.Fatalf("Create %s: %v", urn, err)
	}
	return resp.Id, mustMap(t, resp.Properties)
}

func del(c pulumirpc.ResourceProviderClient, urn, id string) error {
	_, err := c.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: urn, Id: id})
	return err
}

// delState deletes a resource whose last state is OLDS.
func delState(t *testing.T, c pulumirpc.ResourceProviderClient, urn, id string, olds resource.PropertyMap) error {
	t.Helper()
	_, err := c.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: urn, Id: id, Properties: mustStruct(t, olds)})
	return err
}

// ---------------------------------------------------------------- SigV4

// Expected values computed with botocore's SigV4Auth / S3SigV4Auth (the first is
// also the AWS SigV4 test suite's "get-vanilla").
func TestSignV4(t *testing.T) {
	at := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	cases := []struct {
		method, url, service, contentType, body, signed, sig string
	}{
		{"GET", "https://example.amazonaws.com/", "service", "", "", "host;x-amz-date",
			"5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{"PUT", "http://127.0.0.1:4566/my-bucket", "s3", "", "", "host;x-amz-content-sha256;x-amz-date",
			"d245853960b576ba12590d34ab7d00e377f10bb7260b58a3d4530844ae42d183"},
		{"POST", "http://127.0.0.1:4566/2020-05-31/distribution", "cloudfront", "application/xml", "<DistributionConfig/>",
			"content-type;host;x-amz-date", "7cbbd94459c6af6fe1ac4daad118e0c3af6846a98b6daf248b7128c5dcc53e9c"},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
		if c.contentType != "" {
			req.Header.Set("Content-Type", c.contentType)
		}
		signV4(req, []byte(c.body), "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", c.service, at)
		want := "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/" + c.service + "/aws4_request, SignedHeaders=" +
			c.signed + ", Signature=" + c.sig
		if got := req.Header.Get("Authorization"); got != want {
			t.Errorf("%s %s:\n got %s\nwant %s", c.method, c.url, got, want)
		}
	}
}

func TestNewEmulatorURL(t *testing.T) {
	for _, bad := range []string{"", "127.0.0.1:4566", "ftp://x", "http://127.0.0.1:1/some/path"} {
		if _, err := NewEmulator(bad); err == nil {
			t.Errorf("NewEmulator(%q): no error", bad)
		}
	}
	e, err := NewEmulator("http://127.0.0.1:4566/")
	if err != nil || e.String() != "http://127.0.0.1:4566" {
		t.Fatalf("NewEmulator: %v %v", e, err)
	}
}

// ---------------------------------------------------------------- against a fake emulator

type seen struct {
	Method, Path, Service, IfMatch, Body string
}

// fakeEmulator answers the few calls the stand-in makes, like moto does, and
// records them.
type fakeEmulator struct {
	mu       sync.Mutex
	reqs     []seen
	buckets  map[string]bool
	full     map[string]bool // buckets that refuse deletion (not empty)
	failNext int             // answer the next N requests with 500
}

var scopeService = regexp.MustCompile(`Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request`)

func (f *fakeEmulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	svc := ""
	if m := scopeService.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		svc = m[1]
	}
	f.reqs = append(f.reqs, seen{r.Method, r.URL.Path, svc, r.Header.Get("If-Match"), string(body)})
	if f.failNext > 0 {
		f.failNext--
		w.WriteHeader(500)
		fmt.Fprint(w, `<Error><Code>InternalError</Code><Message>boom</Message></Error>`)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	switch {
	case r.Method == "HEAD" && svc == "s3":
		if f.buckets[name] {
			w.WriteHeader(200)
		} else {
			w.WriteHeader(404)
		}
	case r.Method == "PUT" && svc == "s3":
		f.buckets[name] = true
		w.WriteHeader(200)
	case r.Method == "DELETE" && svc == "s3":
		switch {
		case f.full[name]:
			w.WriteHeader(409)
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>BucketNotEmpty</Code><Message>The bucket you tried to delete is not empty</Message><BucketName>%s</BucketName></Error>`, name)
		case f.buckets[name]:
			delete(f.buckets, name)
			w.WriteHeader(204)
		default:
			w.WriteHeader(404)
			fmt.Fprint(w, `<Error><Code>NoSuchBucket</Code></Error>`)
		}
	case r.Method == "POST" && r.URL.Path == "/2020-05-31/distribution" && svc == "cloudfront":
		w.Header().Set("ETag", "E2QWRUHEXAMPLE")
		w.Header().Set("Location", "https://cloudfront.amazonaws.com/2020-05-31/distribution/EDFDVBD6EXAMPLE")
		w.WriteHeader(201)
		fmt.Fprint(w, `<?xml version="1.0"?><Distribution xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">`+
			`<Id>EDFDVBD6EXAMPLE</Id><ARN>arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE</ARN>`+
			`<Status>InProgress</Status><DomainName>d111111abcdef8.cloudfront.net</DomainName></Distribution>`)
	case r.Method == "GET" && r.URL.Path == "/2020-05-31/distribution/EDFDVBD6EXAMPLE":
		w.Header().Set("ETag", "E3GETETAG")
		w.WriteHeader(200)
		fmt.Fprint(w, `<Distribution><Id>EDFDVBD6EXAMPLE</Id></Distribution>`)
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/2020-05-31/distribution/"):
		w.WriteHeader(404)
		fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchDistribution</Code></Error></ErrorResponse>`)
	case r.Method == "DELETE" && r.URL.Path == "/2020-05-31/distribution/EDFDVBD6EXAMPLE":
		w.WriteHeader(204)
	default:
		w.WriteHeader(400)
		fmt.Fprintf(w, `<Error><Code>Unexpected</Code><Message>%s %s (%s)</Message></Error>`, r.Method, r.URL.Path, svc)
	}
}

func (f *fakeEmulator) take() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.reqs
	f.reqs = nil
	return out
}

func summary(reqs []seen) string {
	var lines []string
	for _, r := range reqs {
		l := r.Method + " " + r.Path + " (" + r.Service + ")"
		if r.IfMatch != "" {
			l += " If-Match: " + r.IfMatch
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

func TestMirrorRequests(t *testing.T) {
	fake := &fakeEmulator{buckets: map[string]bool{}, full: map[string]bool{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := serveMirroring(t, srv.URL)

	// A bucket: bucketPrefix + 26 characters; a name that exists is skipped.
	first := bucketCandidate("my-site-", "", urnBucket, 0)
	fake.buckets[first] = true
	id, outs := create(t, c, urnBucket, bucketInputs())
	second := bucketCandidate("my-site-", "", urnBucket, 1)
	if id != second || len(id) != len("my-site-")+26 || !regexp.MustCompile(`^my-site-[0-9a-f]{26}$`).MatchString(id) {
		t.Fatalf("bucket id %q, want %q", id, second)
	}
	if got := summary(fake.take()); got != "HEAD /"+first+" (s3)\nHEAD /"+second+" (s3)\nPUT /"+second+" (s3)" {
		t.Fatalf("requests:\n%s", got)
	}
	if outs["bucket"].StringValue() != id || outs["arn"].StringValue() != "arn:aws:s3:::"+id ||
		outs["bucketRegionalDomainName"].StringValue() != id+".s3.us-east-1.amazonaws.com" ||
		outs["bucketDomainName"].StringValue() != id+".s3.amazonaws.com" || outs["region"].StringValue() != "us-east-1" {
		t.Fatalf("bucket outputs: %v", outs)
	}

	// A distribution: the emulator's Id and DomainName become the resource's.
	did, douts := create(t, c, urnCDN, distInputs(outs["bucketRegionalDomainName"].StringValue()))
	reqs := fake.take()
	if len(reqs) != 1 || reqs[0].Method != "POST" || reqs[0].Path != "/2020-05-31/distribution" || reqs[0].Service != "cloudfront" {
		t.Fatalf("requests:\n%s", summary(reqs))
	}
	var cfg xmlDistributionConfig
	if err := xml.Unmarshal([]byte(reqs[0].Body), &cfg); err != nil {
		t.Fatalf("DistributionConfig: %v\n%s", err, reqs[0].Body)
	}
	if !strings.HasPrefix(cfg.CallerReference, "standin-") || cfg.Comment != "launchpad StaticSite site" || !cfg.Enabled ||
		cfg.Origins.Quantity != 1 || len(cfg.Origins.Items) != 1 || cfg.Origins.Items[0].ID != "s3" ||
		cfg.Origins.Items[0].DomainName != id+".s3.us-east-1.amazonaws.com" || cfg.Origins.Items[0].S3OriginConfig == nil ||
		cfg.Origins.Items[0].CustomOriginConfig != nil || cfg.DefaultCacheBehavior.TargetOriginID != "s3" ||
		cfg.DefaultCacheBehavior.ViewerProtocolPolicy != "redirect-to-https" || cfg.DefaultRootObject != "index.html" {
		t.Fatalf("DistributionConfig: %+v\n%s", cfg, reqs[0].Body)
	}
	if !strings.Contains(reqs[0].Body, `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">`) {
		t.Fatalf("DistributionConfig without the namespace: %s", reqs[0].Body)
	}
	if did != "EDFDVBD6EXAMPLE" || douts["domainName"].StringValue() != "d111111abcdef8.cloudfront.net" ||
		douts["arn"].StringValue() != "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE" ||
		douts["etag"].StringValue() != "E2QWRUHEXAMPLE" || douts["status"].StringValue() != "InProgress" ||
		douts["callerReference"].StringValue() != cfg.CallerReference || douts["hostedZoneId"].StringValue() != cloudFrontZone {
		t.Fatalf("distribution: id=%q %v", did, douts)
	}

	// A custom (non-S3) origin domain becomes a custom origin.
	create(t, c, urnCDN, distInputs("api.example.test"))
	var cfg2 xmlDistributionConfig
	if reqs := fake.take(); len(reqs) != 1 || xml.Unmarshal([]byte(reqs[0].Body), &cfg2) != nil ||
		cfg2.Origins.Items[0].CustomOriginConfig == nil || cfg2.Origins.Items[0].S3OriginConfig != nil ||
		cfg2.CallerReference == cfg.CallerReference {
		t.Fatalf("custom origin: %+v", cfg2)
	}

	// Previews never reach the emulator; neither do other resources.
	if _, err := c.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnBucket, Properties: mustStruct(t, bucketInputs()), Preview: true}); err != nil {
		t.Fatal(err)
	}
	create(t, c, "urn:pulumi:dev::proj::aws:s3/bucketPolicy:BucketPolicy::p",
		resource.NewPropertyMapFromMap(obj{"bucket": id, "policy": "{}"}))
	if reqs := fake.take(); len(reqs) != 0 {
		t.Fatalf("preview/other resources reached the emulator:\n%s", summary(reqs))
	}

	// Delete: the distribution by GET (ETag) + DELETE If-Match; the bucket by DELETE.
	if err := del(c, urnCDN, did); err != nil {
		t.Fatalf("Delete distribution: %v", err)
	}
	if err := del(c, urnBucket, id); err != nil {
		t.Fatalf("Delete bucket: %v", err)
	}
	want := "GET /2020-05-31/distribution/EDFDVBD6EXAMPLE (cloudfront)\n" +
		"DELETE /2020-05-31/distribution/EDFDVBD6EXAMPLE (cloudfront) If-Match: E3GETETAG\n" +
		"DELETE /" + id + " (s3)"
	if got := summary(fake.take()); got != want {
		t.Fatalf("delete requests:\n%s\nwant:\n%s", got, want)
	}
	if fake.buckets[id] {
		t.Fatalf("bucket %s not deleted", id)
	}

	// Already gone (or never mirrored): not an error.
	for _, d := range []struct{ urn, id string }{{urnCDN, "site-cdn-1234abcd"}, {urnBucket, "gone-bucket"}} {
		if err := del(c, d.urn, d.id); err != nil {
			t.Fatalf("Delete %s: %v", d.id, err)
		}
	}
	// Not empty, without forceDestroy: refused, as S3 refuses it.
	fake.full["kept-bucket"] = true
	if err := del(c, urnBucket, "kept-bucket"); status.Code(err) != codes.Unavailable ||
		!strings.Contains(err.Error(), "emulator DeleteBucket kept-bucket: 409 BucketNotEmpty") {
		t.Fatalf("Delete of a bucket that is not empty: %v", err)
	}
	fake.take()

	// Any other failure is the operation's error, with the emulator's code.
	fake.failNext = 1
	_, err := c.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnBucket, Properties: mustStruct(t, bucketInputs())})
	if status.Code(err) != codes.Unavailable || !strings.Contains(err.Error(), "emulator HeadBucket my-site-") ||
		!strings.Contains(err.Error(), ": 500") {
		t.Fatalf("Create with a failing emulator: %v", err)
	}
	fake.failNext = 1
	if err := del(c, urnBucket, "x-bucket"); status.Code(err) != codes.Unavailable ||
		!strings.Contains(err.Error(), "emulator DeleteBucket x-bucket: 500 InternalError: boom") {
		t.Fatalf("Delete with a failing emulator: %v", err)
	}
}

// Without --emulator the outputs are the usual fake ones.
func TestNoEmulatorNoChange(t *testing.T) {
	c := serveMirroring(t, "")
	id, outs := create(t, c, urnBucket, bucketInputs())
	if id != physicalName("site-bucket", urnBucket, bucketInputs()) ||
		outs["bucketRegionalDomainName"].StringValue() != id+".s3.standin.test" {
		t.Fatalf("bucket: id=%q %v", id, outs)
	}
	did, douts := create(t, c, urnCDN, distInputs(outs["bucketRegionalDomainName"].StringValue()))
	if !strings.HasPrefix(did, "site-cdn-") || douts["domainName"].StringValue() != did+".cloudfront.standin.test" {
		t.Fatalf("distribution: id=%q %v", did, douts)
	}
	if err := del(c, urnCDN, did); err != nil {
		t.Fatal(err)
	}
}

// ---------------------------------------------------------------- against moto

// startMoto runs tests/moto/serve.py with $LAUNCHPAD_MOTO_PYTHON (set by the
// Makefile: target/e2e/venv/bin/python, with moto installed by `make moto`).
func startMoto(t *testing.T) string {
	t.Helper()
	py := os.Getenv("LAUNCHPAD_MOTO_PYTHON")
	if py == "" {
		t.Skip("LAUNCHPAD_MOTO_PYTHON is not set (make test-go sets it to the venv with moto; or run `make moto` and set it to target/e2e/venv/bin/python)")
	}
	if _, err := os.Stat(py); err != nil {
		t.Fatalf("LAUNCHPAD_MOTO_PYTHON=%s: %v (run `make moto`)", py, err)
	}
	cmd := exec.Command(py, filepath.Join("..", "moto", "serve.py"))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close() // serve.py exits when its stdin closes
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	port, perr := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || perr != nil {
		t.Fatalf("serve.py did not print its port: %q %v (stderr: %s)", line, err, stderr.String())
	}
	return "http://127.0.0.1:" + strconv.Itoa(port)
}

func TestMirrorMoto(t *testing.T) {
	url := startMoto(t)
	c := serveMirroring(t, url)
	em, _ := NewEmulator(url)
	ctx := context.Background()

	id, outs := create(t, c, urnBucket, bucketInputs())
	if ok, err := em.BucketExists(ctx, id); err != nil || !ok {
		t.Fatalf("bucket %s in moto: %v %v", id, ok, err)
	}
	// The same URN again (a stack created anew while the emulator lives): a new name.
	id2, _ := create(t, c, urnBucket, bucketInputs())
	if id2 == id || !strings.HasPrefix(id2, "my-site-") {
		t.Fatalf("second bucket %q (first %q)", id2, id)
	}

	did, douts := create(t, c, urnCDN, distInputs(outs["bucketRegionalDomainName"].StringValue()))
	r, err := em.do(ctx, "cloudfront", "GET", cloudFrontAPI+"/distribution/"+did, nil, nil)
	if err != nil || r.status != 200 {
		t.Fatalf("GetDistribution %s: %v %v", did, r, err)
	}
	var got struct {
		DomainName string `xml:"DomainName"`
		Config     struct {
			Comment string `xml:"Comment"`
			Origins struct {
				Items []struct {
					DomainName string `xml:"DomainName"`
				} `xml:"Items>Origin"`
			} `xml:"Origins"`
		} `xml:"DistributionConfig"`
	}
	if err := xml.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.DomainName != douts["domainName"].StringValue() || !strings.HasSuffix(got.DomainName, ".cloudfront.net") ||
		got.Config.Comment != "launchpad StaticSite site" || len(got.Config.Origins.Items) != 1 ||
		got.Config.Origins.Items[0].DomainName != id+".s3.us-east-1.amazonaws.com" {
		t.Fatalf("distribution in moto: %+v (outputs %v)", got, douts)
	}

	// Delete: the distribution goes; a bucket with an object stays (no error); an empty one goes.
	if err := del(c, urnCDN, did); err != nil {
		t.Fatal(err)
	}
	if r, err := em.do(ctx, "cloudfront", "GET", cloudFrontAPI+"/distribution/"+did, nil, nil); err != nil || r.status != 404 {
		t.Fatalf("distribution after Delete: %v %v", r, err)
	}
	if r, err := em.do(ctx, "s3", "PUT", "/"+id+"/index.html", http.Header{"Content-Type": {"text/html"}}, []byte("<p>hi")); err != nil || r.status != 200 {
		t.Fatalf("PutObject: %v %v", r, err)
	}
	// S3 refuses to delete a bucket that is not empty: so does the stand-in.
	if err := delState(t, c, urnBucket, id, outs); status.Code(err) != codes.Unavailable ||
		!strings.Contains(err.Error(), "BucketNotEmpty") {
		t.Fatalf("Delete of a bucket that is not empty: %v", err)
	}
	if ok, _ := em.BucketExists(ctx, id); !ok {
		t.Fatalf("bucket %s with an object was deleted", id)
	}
	// With forceDestroy, as the provider does, its objects go first (more than
	// one page of them), then the bucket.
	for i := 0; i < 1005; i++ {
		key := fmt.Sprintf("/%s/assets/%04d.js", id2, i)
		if r, err := em.do(ctx, "s3", "PUT", key, nil, []byte("x")); err != nil || r.status != 200 {
			t.Fatalf("PutObject %s: %v %v", key, r, err)
		}
	}
	forced := resource.PropertyMap{"forceDestroy": resource.NewBoolProperty(true)}
	for _, b := range []string{id, id2} {
		if err := delState(t, c, urnBucket, b, forced); err != nil {
			t.Fatal(err)
		}
		if ok, _ := em.BucketExists(ctx, b); ok {
			t.Fatalf("bucket %s still there after Delete", b)
		}
	}
}
