// Command s3-ingest measures an S3 server's own ingest limit for bench/site-sync: it writes
// every file under DIR to BUCKET as one PutObject each, key = the path relative to DIR,
// from WORKERS goroutines, and nothing else (no listing, no comparison, no content types).
// Whatever a sync tool does beyond this loop is its own cost, so a sync's first-upload time
// over this one says how close the tool comes to what the server can take. Each worker keeps
// its connection between requests: the SDK's default transport keeps 10 idle connections per
// host, so 22 of 32 workers would open a new one for every file, a cost of this loop, not of
// the server.
//
//	s3-ingest [-workers 32] DIR BUCKET
//
// The endpoint and credentials come from the environment as for any AWS SDK client
// (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...); path-style addressing.
// Prints one JSON line: {"seconds": ..., "objects": ..., "bytes": ...}.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	workers := flag.Int("workers", 32, "concurrent PutObject calls (bench/site-sync uses the sync tools' 32)")
	flag.Parse()
	if flag.NArg() != 2 || *workers < 1 {
		fmt.Fprintln(os.Stderr, "usage: s3-ingest [-workers N] DIR BUCKET")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Arg(1), *workers); err != nil {
		fmt.Fprintln(os.Stderr, "s3-ingest:", err)
		os.Exit(1)
	}
}

func run(dir, bucket string, workers int) error {
	ctx := context.Background()
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = workers
		t.MaxIdleConnsPerHost = workers
	})
	cfg, err := config.LoadDefaultConfig(ctx, config.WithHTTPClient(httpClient))
	if err != nil {
		return err
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })

	// The file list first, so that the clock measures uploads, not the walk.
	var keys []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		keys = append(keys, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return err
	}

	start := time.Now()
	jobs := make(chan string)
	var total atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range jobs {
				body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(key)))
				if err == nil {
					_, err = client.PutObject(ctx, &s3.PutObjectInput{
						Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
					})
				}
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("%s: %w", key, err) })
					continue
				}
				total.Add(int64(len(body)))
			}
		}()
	}
	for _, key := range keys {
		jobs <- key
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"seconds": time.Since(start).Seconds(), "objects": len(keys), "bytes": total.Load(),
	})
}
