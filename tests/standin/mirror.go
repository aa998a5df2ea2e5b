package main

// What the stand-in mirrors into the emulator (--emulator): see emulator.go.
//
//   aws:s3/bucket:Bucket                      Create: PUT /<bucket>; Delete: DELETE /<bucket>, which
//                                             fails on a bucket that is not empty (BucketNotEmpty,
//                                             as S3 does) unless its `forceDestroy` is true: then
//                                             its objects are deleted first, as the provider does
//   aws:cloudfront/distribution:Distribution  Create: POST /2020-05-31/distribution; the emulator's
//                                             Id is the resource id, its DomainName, ARN, ETag and
//                                             Status the outputs; Delete: GET (ETag) + DELETE
//
// The bucket's name: the `bucket` input; else `bucketPrefix` plus 26 characters (as
// the real provider does), derived from the URN and a counter, skipping names that
// already exist in the emulator (a replacement, or a stack created again while the
// emulator lives); else the stand-in's usual physical name. In this mode the
// bucket's domain names are S3's (`<bucket>.s3.us-east-1.amazonaws.com`): the
// emulator accepts an S3 origin only on such a name. Without --emulator nothing
// here runs.

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const (
	tokenBucket       = "aws:s3/bucket:Bucket"
	tokenBucketV2     = "aws:s3/bucketV2:BucketV2"
	tokenDistribution = "aws:cloudfront/distribution:Distribution"

	s3HostedZoneUSEast1 = "Z3AQBSTGFYJSTF" // S3 website/endpoint zone of us-east-1
	cloudFrontZone      = "Z2FDTNDATAQYW2" // every CloudFront distribution's zone
)

// unwrap strips secrets and returns the plain value.
func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}

// objAt returns the object at KEY of M (the first element, for an array).
func objAt(m resource.PropertyMap, key string) resource.PropertyMap {
	v, ok := m[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	v = unwrap(v)
	if v.IsArray() {
		if len(v.ArrayValue()) == 0 {
			return nil
		}
		v = unwrap(v.ArrayValue()[0])
	}
	if v.IsObject() {
		return v.ObjectValue()
	}
	return nil
}

func boolInput(m resource.PropertyMap, key string, dflt bool) bool {
	if v, ok := m[resource.PropertyKey(key)]; ok {
		if v = unwrap(v); v.IsBool() {
			return v.BoolValue()
		}
	}
	return dflt
}

// onlyOutputs keeps the values whose names R has as outputs.
func onlyOutputs(r *Resource, m map[string]string) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range m {
		if _, ok := r.Outputs[k]; ok && v != "" {
			out[resource.PropertyKey(k)] = resource.NewStringProperty(v)
		}
	}
	return out
}

// bucketCandidate: the I-th name to try for a bucket.
func bucketCandidate(prefix, fallback, urn string, i int) string {
	if prefix != "" {
		h := sha256Hex([]byte(urn + "#" + strconv.Itoa(i)))
		return prefix + h[:26]
	}
	if i == 0 {
		return fallback
	}
	return fallback + "-" + strconv.Itoa(i)
}

// mirrorCreate creates the resource in the emulator when it is one we mirror; it
// returns the id to use and outputs that override the fake ones.
func (p *standin) mirrorCreate(ctx context.Context, token string, r *Resource, name, urn, id string,
	inputs resource.PropertyMap) (string, resource.PropertyMap, error) {
	switch token {
	case tokenBucket, tokenBucketV2:
		bucket := strInput(inputs, "bucket")
		if bucket == "" {
			prefix := strInput(inputs, "bucketPrefix")
			for i := 0; ; i++ {
				if i == 50 {
					return "", nil, fmt.Errorf("no free bucket name for %s in the emulator after %d tries", urn, i)
				}
				cand := bucketCandidate(prefix, id, urn, i)
				exists, err := p.emulator.BucketExists(ctx, cand)
				if err != nil {
					return "", nil, err
				}
				if !exists {
					bucket = cand
					break
				}
			}
		}
		if err := p.emulator.CreateBucket(ctx, bucket); err != nil {
			return "", nil, err
		}
		p.logf("emulator: created bucket %s", bucket)
		return bucket, onlyOutputs(r, map[string]string{
			"bucket":                   bucket,
			"bucketDomainName":         bucket + ".s3.amazonaws.com",
			"bucketRegionalDomainName": bucket + "." + "s3." + emulatorRegion + ".amazonaws.com",
			"hostedZoneId":             s3HostedZoneUSEast1,
			"region":                   emulatorRegion,
		}), nil

	case tokenDistribution:
		origin := objAt(inputs, "origins")
		if origin == nil || strInput(origin, "domainName") == "" {
			return "", nil, fmt.Errorf("%s: no origin with a domainName among the inputs to create in the emulator", urn)
		}
		originID := strInput(origin, "originId")
		if originID == "" {
			originID = "origin"
		}
		behavior := objAt(inputs, "defaultCacheBehavior")
		comment := strInput(inputs, "comment")
		if comment == "" {
			comment = "stand-in " + name
		}
		spec := DistributionSpec{
			// Unique per Create, as CloudFront wants: a replacement is a new distribution.
			CallerReference: "standin-" + shortHash(urn) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36),
			Comment:         comment,
			Enabled:         boolInput(inputs, "enabled", true),
			OriginID:        originID,
			OriginDomain:    strInput(origin, "domainName"),
			OriginPath:      strInput(origin, "originPath"),
			ViewerProtocol:  strInput(behavior, "viewerProtocolPolicy"),
			DefaultRoot:     strInput(inputs, "defaultRootObject"),
		}
		d, err := p.emulator.CreateDistribution(ctx, spec)
		if err != nil {
			return "", nil, err
		}
		p.logf("emulator: created distribution %s (%s)", d.ID, d.DomainName)
		return d.ID, onlyOutputs(r, map[string]string{
			"arn":             d.ARN,
			"domainName":      d.DomainName,
			"etag":            d.ETag,
			"status":          d.Status,
			"callerReference": spec.CallerReference,
			"hostedZoneId":    cloudFrontZone,
		}), nil
	}
	return id, nil, nil
}

// mirrorDelete deletes the resource (its last state: OLDS) from the emulator when
// it is one we mirror.
func (p *standin) mirrorDelete(ctx context.Context, token, id string, olds resource.PropertyMap) error {
	if id == "" {
		return nil
	}
	switch token {
	case tokenBucket, tokenBucketV2:
		// The provider empties a bucket with forceDestroy (objects the program does
		// not manage included) before deleting it; S3 refuses to delete any other
		// bucket that is not empty.
		if boolInput(olds, "forceDestroy", false) {
			n, err := p.emulator.EmptyBucket(ctx, id)
			if err != nil {
				return err
			}
			p.logf("emulator: emptied bucket %s (forceDestroy): %d objects", id, n)
		}
		err := p.emulator.DeleteBucket(ctx, id)
		if err == nil {
			p.logf("emulator: deleted bucket %s", id)
		}
		return err
	case tokenDistribution:
		err := p.emulator.DeleteDistribution(ctx, id)
		if err == nil {
			p.logf("emulator: deleted distribution %s", id)
		}
		return err
	}
	return nil
}
