package main

import (
	"context"
	"fmt"
	"log"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// standin implements pulumirpc.ResourceProviderServer for one package.
type standin struct {
	pulumirpc.UnimplementedResourceProviderServer

	schema    *Schema
	validator *Validator
	recorder  *Recorder
	logf      func(format string, args ...any)
	// emulator, when set (--emulator), mirrors buckets and distributions (emulator.go, mirror.go).
	emulator *Emulator
}

func newStandin(s *Schema, strict bool, rec *Recorder, logger *log.Logger) *standin {
	return &standin{
		schema:    s,
		validator: &Validator{Schema: s, Strict: strict},
		recorder:  rec,
		logf:      logger.Printf,
	}
}

var unmarshalOpts = plugin.MarshalOptions{
	Label:            "standin",
	KeepUnknowns:     true,
	KeepSecrets:      true,
	KeepResources:    true,
	KeepOutputValues: true,
	KeepByteString:   true,
}

var marshalOpts = plugin.MarshalOptions{
	Label:         "standin",
	KeepUnknowns:  true,
	KeepSecrets:   true,
	KeepResources: true,
}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	m, err := plugin.UnmarshalProperties(s, unmarshalOpts)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "stand-in: cannot decode properties: %v", err)
	}
	return m, nil
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	s, err := plugin.MarshalProperties(m, marshalOpts)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "stand-in: cannot encode properties: %v", err)
	}
	return s, nil
}

// tokenOf returns the request's type token, falling back to the URN's.
func tokenOf(typ, urn string) string {
	if typ != "" {
		return typ
	}
	if urn != "" {
		if u, err := resource.ParseURN(urn); err == nil {
			return string(u.Type())
		}
	}
	return ""
}

func nameOf(name, urn string) string {
	if name != "" {
		return name
	}
	if u, err := resource.ParseURN(urn); err == nil {
		return u.Name()
	}
	return ""
}

func (p *standin) resourceOf(token string) (*Resource, error) {
	r, ok := p.schema.Resources[token]
	if !ok {
		_, err := p.validator.CheckResource(token, nil)
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return r, nil
}

// ---------------------------------------------------------------- lifecycle

func (p *standin) Handshake(_ context.Context, req *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	p.logf("Handshake (engine %s)", req.GetEngineAddress())
	return &pulumirpc.ProviderHandshakeResponse{
		AcceptSecrets:   true,
		AcceptResources: true,
	}, nil
}

func (p *standin) Attach(_ context.Context, req *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	p.logf("Attach (engine %s)", req.GetAddress())
	return &emptypb.Empty{}, nil
}

func (p *standin) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.schema.Version}, nil
}

func (p *standin) GetSchema(_ context.Context, req *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	// A minimal, valid package schema: enough for the engine to identify the
	// package; the stand-in never serves the real one.
	return &pulumirpc.GetSchemaResponse{
		Schema: fmt.Sprintf(`{"name":%q,"version":%q,"description":"test stand-in for %s (never shipped)"}`,
			p.schema.Package, p.schema.Version, p.schema.Source),
	}, nil
}

func (p *standin) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	res := p.validator.CheckConfig(news)
	for _, f := range res.Failures {
		// Config values of object type arrive JSON-encoded as strings from the
		// Node.js SDK; do not fail on those, only log.
		p.logf("CheckConfig: %s: %s (ignored)", f.Path, f.Reason)
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *standin) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *standin) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	keys := make([]string, 0, len(req.GetVariables()))
	for k := range req.GetVariables() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	p.logf("Configure (variables: %s)", strings.Join(keys, ", "))
	return &pulumirpc.ConfigureResponse{
		AcceptSecrets:   true,
		SupportsPreview: true,
		AcceptResources: true,
	}, nil
}

// ---------------------------------------------------------------- resources

func (p *standin) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	token := tokenOf(req.GetType(), req.GetUrn())
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	res, err := p.validator.CheckResource(token, news)
	if err != nil {
		p.logf("Check %s: %v", req.GetUrn(), err)
		p.recorder.Record(Record{Method: "Check", Token: token, URN: req.GetUrn(), Inputs: req.GetNews(), Error: err.Error()})
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	failures := make([]*pulumirpc.CheckFailure, 0, len(res.Failures))
	for _, f := range res.Failures {
		p.logf("Check %s: %s: %s", req.GetUrn(), f.Path, f.Reason)
		failures = append(failures, &pulumirpc.CheckFailure{Property: f.Path, Reason: f.Reason})
	}
	for _, c := range res.Coercions {
		p.logf("Check %s: note: %s: %s", req.GetUrn(), c.Path, c.Reason)
	}
	p.recorder.Record(Record{Method: "Check", Token: token, URN: req.GetUrn(), Inputs: req.GetNews(),
		Failures: res.Failures, Coercions: res.Coercions})
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
}

func (p *standin) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	token := tokenOf(req.GetType(), req.GetUrn())
	r, err := p.resourceOf(token)
	if err != nil {
		return nil, err
	}
	olds := req.GetOldInputs()
	if olds == nil {
		olds = req.GetOlds()
	}
	oldMap, err := unmarshal(olds)
	if err != nil {
		return nil, err
	}
	newMap, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	ignore := map[string]bool{}
	for _, k := range req.GetIgnoreChanges() {
		ignore[k] = true
	}
	replaceOn, replaceAll := replacedBy(token, r)
	if replaceAll {
		for k := range newMap {
			replaceOn[string(k)] = true
		}
		for k := range oldMap {
			replaceOn[string(k)] = true
		}
	}
	if msg := ecsStrategyError(token, oldMap, newMap); msg != "" {
		p.logf("Diff %s: %s", req.GetUrn(), msg)
		p.recorder.Record(Record{Method: "Diff", Token: token, URN: req.GetUrn(), Inputs: req.GetNews(), Error: msg})
		return nil, status.Error(codes.InvalidArgument, msg)
	}
	return diffInputs(oldMap, newMap, ignore, replaceOn), nil
}

// diffInputs compares old and new inputs key by key (top level).
func diffInputs(olds, news resource.PropertyMap, ignore, replaceOn map[string]bool) *pulumirpc.DiffResponse {
	keys := map[string]bool{}
	for k := range olds {
		keys[string(k)] = true
	}
	for k := range news {
		keys[string(k)] = true
	}
	resp := &pulumirpc.DiffResponse{DetailedDiff: map[string]*pulumirpc.PropertyDiff{}, HasDetailedDiff: true}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		if !strings.HasPrefix(k, "__") && !ignore[k] {
			sorted = append(sorted, k)
		}
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		o, hasOld := olds[resource.PropertyKey(k)]
		n, hasNew := news[resource.PropertyKey(k)]
		if hasOld && o.IsNull() {
			hasOld = false
		}
		if hasNew && n.IsNull() {
			hasNew = false
		}
		var kind pulumirpc.PropertyDiff_Kind
		switch {
		case !hasOld && !hasNew:
			continue
		case !hasOld:
			kind = pulumirpc.PropertyDiff_ADD
		case !hasNew:
			kind = pulumirpc.PropertyDiff_DELETE
		case o.DeepEquals(n) && !n.ContainsUnknowns():
			continue
		default:
			kind = pulumirpc.PropertyDiff_UPDATE
		}
		if replaceOn[k] {
			switch kind {
			case pulumirpc.PropertyDiff_ADD:
				kind = pulumirpc.PropertyDiff_ADD_REPLACE
			case pulumirpc.PropertyDiff_DELETE:
				kind = pulumirpc.PropertyDiff_DELETE_REPLACE
			default:
				kind = pulumirpc.PropertyDiff_UPDATE_REPLACE
			}
			resp.Replaces = append(resp.Replaces, k)
		}
		resp.Diffs = append(resp.Diffs, k)
		resp.DetailedDiff[k] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	if len(resp.Diffs) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	} else {
		resp.Changes = pulumirpc.DiffResponse_DIFF_NONE
	}
	return resp
}

func (p *standin) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	token := tokenOf(req.GetType(), req.GetUrn())
	r, err := p.resourceOf(token)
	if err != nil {
		return nil, err
	}
	inputs, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	p.recorder.Record(Record{Method: "Create", Token: token, URN: req.GetUrn(), Preview: req.GetPreview(), Inputs: req.GetProperties()})
	name := nameOf(req.GetName(), req.GetUrn())
	var id string
	var outs resource.PropertyMap
	if req.GetPreview() {
		outs = previewOutputs(r, inputs, nil)
	} else {
		id = fakeID(p.schema.Package, token, name, req.GetUrn(), inputs)
		var mirrored resource.PropertyMap
		if p.emulator != nil {
			if id, mirrored, err = p.mirrorCreate(ctx, token, r, name, req.GetUrn(), id, inputs); err != nil {
				p.logf("Create %s: %v", req.GetUrn(), err)
				return nil, status.Errorf(codes.Unavailable, "stand-in %s provider: %v", p.schema.Package, err)
			}
		}
		outs = fakeOutputs(p.schema.Package, token, r, name, id, inputs, nil)
		for k, v := range mirrored {
			outs[k] = v
		}
	}
	props, err := marshal(outs)
	if err != nil {
		return nil, err
	}
	p.logf("Create %s (preview=%v) id=%q", req.GetUrn(), req.GetPreview(), id)
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

func (p *standin) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	token := tokenOf(req.GetType(), req.GetUrn())
	r, err := p.resourceOf(token)
	if err != nil {
		return nil, err
	}
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	oldInputs := olds
	if req.GetOldInputs() != nil {
		if oldInputs, err = unmarshal(req.GetOldInputs()); err != nil {
			return nil, err
		}
	}
	p.recorder.Record(Record{Method: "Update", Token: token, URN: req.GetUrn(), Preview: req.GetPreview(), Inputs: req.GetNews(),
		Deployment: ecsDeployment(token, oldInputs, news)})
	var outs resource.PropertyMap
	if req.GetPreview() {
		outs = previewOutputs(r, news, olds)
	} else {
		outs = fakeOutputs(p.schema.Package, token, r, nameOf(req.GetName(), req.GetUrn()), req.GetId(), news, olds)
	}
	lambdaUpdateOutputs(token, oldInputs, news, outs, req.GetPreview())
	props, err := marshal(outs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

func (p *standin) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (p *standin) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	token := tokenOf(req.GetType(), req.GetUrn())
	p.recorder.Record(Record{Method: "Delete", Token: token, URN: req.GetUrn(), ID: req.GetId()})
	if p.emulator != nil {
		olds, err := unmarshal(req.GetProperties())
		if err != nil {
			return nil, err
		}
		if err := p.mirrorDelete(ctx, token, req.GetId(), olds); err != nil {
			p.logf("Delete %s: %v", req.GetUrn(), err)
			return nil, status.Errorf(codes.Unavailable, "stand-in %s provider: %v", p.schema.Package, err)
		}
	}
	return &emptypb.Empty{}, nil
}

func (p *standin) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	return nil, status.Errorf(codes.Unimplemented,
		"stand-in %s provider: invoke %q is not implemented (the stand-in never calls a cloud; a component must not need a data-source lookup at preview)",
		p.schema.Package, req.GetTok())
}

func (p *standin) Call(_ context.Context, req *pulumirpc.CallRequest) (*pulumirpc.CallResponse, error) {
	return nil, status.Errorf(codes.Unimplemented, "stand-in %s provider: call %q is not implemented", p.schema.Package, req.GetTok())
}

func (p *standin) Construct(_ context.Context, req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructResponse, error) {
	return nil, status.Errorf(codes.Unimplemented, "stand-in %s provider: %q is not a component; Construct is not implemented",
		p.schema.Package, req.GetType())
}

func (p *standin) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
