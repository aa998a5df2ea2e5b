package main

// Mirroring into an S3 + CloudFront emulator (tests/moto), with `--emulator URL`:
// the aws stand-in's Create of an `aws:s3/bucket:Bucket` also creates the bucket
// there, and its Create of an `aws:cloudfront/distribution:Distribution` creates a
// minimal distribution there and returns the emulator's Id and DomainName; Delete
// removes them. So the plugin under test, pointed at the same emulator
// (AWS_ENDPOINT_URL), finds the bucket and the distribution it is given.
//
// Requests are signed with SigV4 and fake credentials: moto accepts any, and picks
// the service (s3 or cloudfront) from the credential scope.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

const (
	emulatorAccessKey = "testing"
	emulatorSecretKey = "testing"
	emulatorRegion    = "us-east-1"
	cloudFrontAPI     = "/2020-05-31"
)

// Emulator is a client of the few S3 and CloudFront operations the stand-in mirrors.
type Emulator struct {
	base *url.URL
	http *http.Client
	now  func() time.Time
}

func NewEmulator(raw string) (*Emulator, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("--emulator %q: want the emulator's base URL, such as http://127.0.0.1:4566", raw)
	}
	u.Path = ""
	return &Emulator{base: u, http: &http.Client{Timeout: 60 * time.Second}, now: time.Now}, nil
}

func (e *Emulator) String() string { return e.base.String() }

// EmulatorError is a non-success answer of the emulator.
type EmulatorError struct {
	Op      string
	Status  int
	Code    string
	Message string
}

func (e *EmulatorError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	if e.Code != "" {
		return fmt.Sprintf("emulator %s: %d %s: %s", e.Op, e.Status, e.Code, msg)
	}
	return fmt.Sprintf("emulator %s: %d: %s", e.Op, e.Status, msg)
}

var (
	xmlCode    = regexp.MustCompile(`<Code>([^<]*)</Code>`)
	xmlMessage = regexp.MustCompile(`<Message>([^<]*)</Message>`)
)

func errorOf(op string, status int, body []byte) *EmulatorError {
	e := &EmulatorError{Op: op, Status: status}
	if m := xmlCode.FindSubmatch(body); m != nil {
		e.Code = string(m[1])
	}
	if m := xmlMessage.FindSubmatch(body); m != nil {
		e.Message = string(m[1])
	}
	return e
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (e *Emulator) do(ctx context.Context, service, method, path string, header http.Header, body []byte) (*reply, error) {
	return e.doQuery(ctx, service, method, path, nil, header, body)
}

// doQuery is do with a query string.
func (e *Emulator) doQuery(ctx context.Context, service, method, path string, query url.Values, header http.Header, body []byte) (*reply, error) {
	u := *e.base
	u.Path = path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.ContentLength = int64(len(body))
	signV4(req, body, emulatorAccessKey, emulatorSecretKey, emulatorRegion, service, e.now())
	resp, err := e.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("emulator %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("emulator %s %s: reading the answer: %w", method, path, err)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// ---------------------------------------------------------------- S3

// BucketExists: HEAD /<name>.
func (e *Emulator) BucketExists(ctx context.Context, name string) (bool, error) {
	r, err := e.do(ctx, "s3", http.MethodHead, "/"+name, nil, nil)
	if err != nil {
		return false, err
	}
	switch r.status {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, errorOf("HeadBucket "+name, r.status, r.body)
}

// CreateBucket: PUT /<name> (us-east-1: no location constraint).
func (e *Emulator) CreateBucket(ctx context.Context, name string) error {
	r, err := e.do(ctx, "s3", http.MethodPut, "/"+name, nil, nil)
	if err != nil {
		return err
	}
	if r.status/100 == 2 {
		return nil
	}
	ee := errorOf("CreateBucket "+name, r.status, r.body)
	if ee.Code == "BucketAlreadyOwnedByYou" {
		return nil
	}
	return ee
}

// DeleteBucket: DELETE /<name>. A missing bucket is not an error; a bucket that is
// not empty is (Code "BucketNotEmpty"), as S3 refuses to delete one
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html).
func (e *Emulator) DeleteBucket(ctx context.Context, name string) error {
	r, err := e.do(ctx, "s3", http.MethodDelete, "/"+name, nil, nil)
	if err != nil {
		return err
	}
	if r.status/100 == 2 {
		return nil
	}
	ee := errorOf("DeleteBucket "+name, r.status, r.body)
	if ee.Code == "NoSuchBucket" {
		return nil
	}
	return ee
}

// EmptyBucket deletes every object in bucket NAME (ListObjectsV2, then DELETE of
// each key), as the aws provider does before deleting a bucket with forceDestroy;
// it returns how many it deleted. A missing bucket has none.
func (e *Emulator) EmptyBucket(ctx context.Context, name string) (int, error) {
	deleted := 0
	for {
		r, err := e.doQuery(ctx, "s3", http.MethodGet, "/"+name, url.Values{"list-type": {"2"}}, nil, nil)
		if err != nil {
			return deleted, err
		}
		if r.status != http.StatusOK {
			ee := errorOf("ListObjectsV2 "+name, r.status, r.body)
			if ee.Code == "NoSuchBucket" {
				return deleted, nil
			}
			return deleted, ee
		}
		var list struct {
			Keys []string `xml:"Contents>Key"`
		}
		if err := xml.Unmarshal(r.body, &list); err != nil {
			return deleted, fmt.Errorf("emulator ListObjectsV2 %s: %w", name, err)
		}
		if len(list.Keys) == 0 {
			return deleted, nil
		}
		// Each round deletes what it listed; the next lists what is left.
		for _, key := range list.Keys {
			r, err := e.do(ctx, "s3", http.MethodDelete, "/"+name+"/"+key, nil, nil)
			if err != nil {
				return deleted, err
			}
			if r.status/100 != 2 {
				return deleted, errorOf("DeleteObject "+name+"/"+key, r.status, r.body)
			}
			deleted++
		}
	}
}

// ---------------------------------------------------------------- CloudFront

// DistributionSpec is the little of a distribution the emulator is told.
type DistributionSpec struct {
	CallerReference string
	Comment         string
	Enabled         bool
	OriginID        string
	OriginDomain    string
	OriginPath      string
	ViewerProtocol  string
	DefaultRoot     string
}

// Distribution is what the emulator answers.
type Distribution struct {
	ID, ARN, DomainName, Status, ETag string
}

type xmlDistributionConfig struct {
	XMLName              xml.Name           `xml:"DistributionConfig"`
	Xmlns                string             `xml:"xmlns,attr"`
	CallerReference      string             `xml:"CallerReference"`
	DefaultRootObject    string             `xml:"DefaultRootObject,omitempty"`
	Origins              xmlOrigins         `xml:"Origins"`
	DefaultCacheBehavior xmlDefaultBehavior `xml:"DefaultCacheBehavior"`
	Comment              string             `xml:"Comment"`
	Enabled              bool               `xml:"Enabled"`
}

type xmlOrigins struct {
	Quantity int         `xml:"Quantity"`
	Items    []xmlOrigin `xml:"Items>Origin"`
}

type xmlOrigin struct {
	ID                 string           `xml:"Id"`
	DomainName         string           `xml:"DomainName"`
	OriginPath         string           `xml:"OriginPath,omitempty"`
	S3OriginConfig     *xmlS3Origin     `xml:"S3OriginConfig,omitempty"`
	CustomOriginConfig *xmlCustomOrigin `xml:"CustomOriginConfig,omitempty"`
}

type xmlS3Origin struct {
	OriginAccessIdentity string `xml:"OriginAccessIdentity"`
}

type xmlCustomOrigin struct {
	HTTPPort             int    `xml:"HTTPPort"`
	HTTPSPort            int    `xml:"HTTPSPort"`
	OriginProtocolPolicy string `xml:"OriginProtocolPolicy"`
}

type xmlDefaultBehavior struct {
	TargetOriginID       string `xml:"TargetOriginId"`
	ViewerProtocolPolicy string `xml:"ViewerProtocolPolicy"`
}

type xmlDistribution struct {
	ID         string `xml:"Id"`
	ARN        string `xml:"ARN"`
	Status     string `xml:"Status"`
	DomainName string `xml:"DomainName"`
}

// distributionXML renders SPEC as a CloudFront DistributionConfig. An origin on an
// S3 endpoint (*.amazonaws.com) is an S3 origin; any other is a custom (HTTPS) one.
func distributionXML(spec DistributionSpec) ([]byte, error) {
	origin := xmlOrigin{ID: spec.OriginID, DomainName: spec.OriginDomain, OriginPath: spec.OriginPath}
	if strings.HasSuffix(spec.OriginDomain, ".amazonaws.com") {
		origin.S3OriginConfig = &xmlS3Origin{}
	} else {
		origin.CustomOriginConfig = &xmlCustomOrigin{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "https-only"}
	}
	viewer := spec.ViewerProtocol
	if viewer == "" {
		viewer = "redirect-to-https"
	}
	cfg := xmlDistributionConfig{
		Xmlns:                "http://cloudfront.amazonaws.com/doc/2020-05-31/",
		CallerReference:      spec.CallerReference,
		DefaultRootObject:    spec.DefaultRoot,
		Origins:              xmlOrigins{Quantity: 1, Items: []xmlOrigin{origin}},
		DefaultCacheBehavior: xmlDefaultBehavior{TargetOriginID: spec.OriginID, ViewerProtocolPolicy: viewer},
		Comment:              spec.Comment,
		Enabled:              spec.Enabled,
	}
	b, err := xml.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}

// CreateDistribution: POST /2020-05-31/distribution.
func (e *Emulator) CreateDistribution(ctx context.Context, spec DistributionSpec) (Distribution, error) {
	body, err := distributionXML(spec)
	if err != nil {
		return Distribution{}, err
	}
	r, err := e.do(ctx, "cloudfront", http.MethodPost, cloudFrontAPI+"/distribution",
		http.Header{"Content-Type": {"application/xml"}}, body)
	if err != nil {
		return Distribution{}, err
	}
	if r.status/100 != 2 {
		return Distribution{}, errorOf("CreateDistribution", r.status, r.body)
	}
	var d xmlDistribution
	if err := xml.Unmarshal(r.body, &d); err != nil || d.ID == "" {
		return Distribution{}, fmt.Errorf("emulator CreateDistribution: unexpected answer (%v): %.300s", err, r.body)
	}
	return Distribution{ID: d.ID, ARN: d.ARN, DomainName: d.DomainName, Status: d.Status, ETag: r.header.Get("ETag")}, nil
}

// DeleteDistribution: GET for the ETag, then DELETE with If-Match. moto does not
// require disabling first (AWS does); a missing distribution is not an error.
func (e *Emulator) DeleteDistribution(ctx context.Context, id string) error {
	path := cloudFrontAPI + "/distribution/" + url.PathEscape(id)
	r, err := e.do(ctx, "cloudfront", http.MethodGet, path, nil, nil)
	if err != nil {
		return err
	}
	if r.status == http.StatusNotFound {
		return nil
	}
	if r.status/100 != 2 {
		return errorOf("GetDistribution "+id, r.status, r.body)
	}
	etag := r.header.Get("ETag")
	if etag == "" {
		etag = "*"
	}
	r, err = e.do(ctx, "cloudfront", http.MethodDelete, path, http.Header{"If-Match": {etag}}, nil)
	if err != nil {
		return err
	}
	if r.status/100 == 2 || r.status == http.StatusNotFound {
		return nil
	}
	return errorOf("DeleteDistribution "+id, r.status, r.body)
}

// ---------------------------------------------------------------- SigV4

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

// signV4 signs REQ (AWS Signature Version 4, Authorization header). Signed
// headers: host, content-type, if-match and x-amz-*; S3 requests also carry
// x-amz-content-sha256. Paths are used as escaped (no double encoding: ours have
// no characters that need it).
func signV4(req *http.Request, body []byte, accessKey, secretKey, region, service string, now time.Time) {
	amzDate := now.UTC().Format("20060102T150405Z")
	date := amzDate[:8]
	payloadHash := sha256Hex(body)
	req.Header.Set("X-Amz-Date", amzDate)
	if service == "s3" {
		req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	headers := map[string]string{"host": host}
	for k, vs := range req.Header {
		lk := strings.ToLower(k)
		if lk == "content-type" || lk == "if-match" || strings.HasPrefix(lk, "x-amz-") {
			headers[lk] = strings.TrimSpace(strings.Join(vs, ","))
		}
	}
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, k := range names {
		canonHeaders.WriteString(k + ":" + headers[k] + "\n")
	}
	signed := strings.Join(names, ";")

	uri := req.URL.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	query := req.URL.Query()
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		vs := append([]string(nil), query[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			pairs = append(pairs, awsEscape(k)+"="+awsEscape(v))
		}
	}
	canonical := strings.Join([]string{req.Method, uri, strings.Join(pairs, "&"), canonHeaders.String(), signed, payloadHash}, "\n")
	scope := date + "/" + region + "/" + service + "/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex([]byte(canonical))
	key := hmacSHA256([]byte("AWS4"+secretKey), date)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, service)
	key = hmacSHA256(key, "aws4_request")
	sig := hex.EncodeToString(hmacSHA256(key, toSign))
	req.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
		accessKey, scope, signed, sig))
}

// awsEscape: RFC 3986 percent-encoding (unreserved characters kept), as SigV4 wants.
func awsEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
