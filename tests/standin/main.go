// Command standin is a TEST-ONLY stand-in for the `aws` and `gcp` Pulumi resource
// provider plugins (never shipped). It answers the provider gRPC protocol like a
// real bridged provider during `pulumi preview` (and a fake `pulumi up`), and
// validates every resource's inputs against the real provider's schema, extracted
// from the published Node.js SDK by extract-schema.mjs.
//
//	standin --package aws --schema aws.json [--record calls.jsonl] [--strict-types] [--port N] [--emulator URL]
//
// Launch contract: binds 127.0.0.1 (port 0 unless --port), prints only the port
// and a newline on stdout, logs on stderr, ignores unknown flags and positional
// arguments (the engine passes its address), exits 0 on SIGINT/SIGTERM. Attach the
// engine with PULUMI_DEBUG_PROVIDERS=aws:<port>,gcp:<port>.
//
// With --emulator URL (an S3 + CloudFront emulator, tests/moto), buckets and
// distributions are also created in (and deleted from) the emulator; see mirror.go.
package main

import (
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

type options struct {
	pkg, schema, record string
	emulator            string
	strict              bool
	port                int
}

// parseArgs reads the flags it knows (`--x v`, `--x=v`, `-x v`) and ignores the rest.
func parseArgs(args []string, logf func(string, ...any)) (options, error) {
	var o options
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			logf("ignoring argument %q", a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		val, hasVal := "", false
		if eq := strings.IndexByte(name, '='); eq >= 0 {
			name, val, hasVal = name[:eq], name[eq+1:], true
		}
		takeVal := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "package":
			o.pkg, err = takeVal()
		case "schema":
			o.schema, err = takeVal()
		case "record":
			o.record, err = takeVal()
		case "emulator":
			o.emulator, err = takeVal()
		case "port":
			var s string
			if s, err = takeVal(); err == nil {
				o.port, err = strconv.Atoi(s)
			}
		case "strict-types":
			o.strict = !hasVal || val == "true" || val == "1"
		default:
			logf("ignoring unknown flag %q", a)
		}
		if err != nil {
			return o, err
		}
	}
	if o.schema == "" {
		return o, fmt.Errorf("--schema <file.json> is required (tests/standin/build.sh prints where it wrote the schemas)")
	}
	return o, nil
}

func main() {
	// Before anything else: a signal that arrives as soon as the port is printed
	// must end the process cleanly, not by the default action.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)

	logger := log.New(os.Stderr, "standin: ", log.Lmicroseconds)
	o, err := parseArgs(os.Args[1:], logger.Printf)
	if err != nil {
		logger.Printf("error: %v", err)
		fmt.Fprintln(os.Stderr, "usage: standin --package aws|gcp --schema <schema.json> [--record <file.jsonl>] [--strict-types] [--port N] [--emulator URL]")
		os.Exit(2)
	}
	schema, err := LoadSchema(o.schema)
	if err != nil {
		logger.Printf("error: %v", err)
		os.Exit(1)
	}
	if o.pkg == "" {
		o.pkg = schema.Package
	}
	if o.pkg != schema.Package {
		logger.Printf("error: --package %s but %s is the schema of %s", o.pkg, o.schema, schema.Source)
		os.Exit(2)
	}
	logger.SetPrefix(fmt.Sprintf("standin[%s]: ", o.pkg))

	rec, err := OpenRecorder(o.record, o.pkg, func(err error) { logger.Printf("record: %v", err) })
	if err != nil {
		logger.Printf("error: --record: %v", err)
		os.Exit(1)
	}

	lis, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(o.port)))
	if err != nil {
		logger.Printf("error: listen: %v", err)
		os.Exit(1)
	}
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(400<<20), grpc.MaxSendMsgSize(400<<20))
	p := newStandin(schema, o.strict, rec, logger)
	if o.emulator != "" {
		if p.emulator, err = NewEmulator(o.emulator); err != nil {
			logger.Printf("error: %v", err)
			os.Exit(2)
		}
		logger.Printf("mirroring %s and %s into the emulator at %s", tokenBucket, tokenDistribution, p.emulator)
	}
	pulumirpc.RegisterResourceProviderServer(srv, p)

	done := make(chan error, 1)
	go func() { done <- srv.Serve(lis) }()

	fmt.Fprintf(os.Stdout, "%d\n", lis.Addr().(*net.TCPAddr).Port)
	logger.Printf("serving %s (%d resources) on %s", schema.Source, len(schema.Resources), lis.Addr())

	exit := 0
	select {
	case s := <-sigs:
		logger.Printf("%v: shutting down", s)
		stopped := make(chan struct{})
		go func() { srv.GracefulStop(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(2 * time.Second):
			srv.Stop()
		}
	case err := <-done:
		if err != nil {
			logger.Printf("error: serve: %v", err)
			exit = 1
		}
	}
	if err := rec.Close(); err != nil {
		logger.Printf("record: %v", err)
	}
	os.Exit(exit)
}
