package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

// Record is one line of the --record file (JSON Lines). Inputs is the property
// Struct exactly as the engine sent it, in its JSON form: plain JSON values, with
// Pulumi's special values as objects carrying the signature key
// "4dabf18193072939515e22adb298388d" (secrets: {"4dabf…": "1b47061264138c4ac30d75fd1eb44270",
// "value": …}) and unknowns as the string "04da6b54-80e4-46f7-96ec-b56ff0331ba9".
type Record struct {
	Time      string           `json:"time"`
	Package   string           `json:"package"`
	Method    string           `json:"method"` // Check | Diff | Create | Update | Delete
	Token     string           `json:"token"`
	URN       string           `json:"urn"`
	ID        string           `json:"id,omitempty"`
	Preview   bool             `json:"preview,omitempty"`
	Inputs    *structpb.Struct `json:"-"`
	Failures  []Failure        `json:"failures,omitempty"`
	Coercions []Failure        `json:"coercions,omitempty"`
	Error     string           `json:"error,omitempty"`
	// Deployment, on an Update of an ECS service, says why the real provider
	// would replace its running tasks (ecsservice.go); empty when it would not.
	Deployment string `json:"deployment,omitempty"`
}

// Recorder appends Records to a file; a nil Recorder records nothing.
type Recorder struct {
	mu      sync.Mutex
	f       *os.File
	pkg     string
	onError func(error)
}

func OpenRecorder(path, pkg string, onError func(error)) (*Recorder, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &Recorder{f: f, pkg: pkg, onError: onError}, nil
}

func (r *Recorder) Record(rec Record) {
	if r == nil {
		return
	}
	rec.Time = time.Now().UTC().Format(time.RFC3339Nano)
	rec.Package = r.pkg
	line, err := encodeRecord(rec)
	if err == nil {
		r.mu.Lock()
		_, err = r.f.Write(line)
		r.mu.Unlock()
	}
	if err != nil && r.onError != nil {
		r.onError(err)
	}
}

func encodeRecord(rec Record) ([]byte, error) {
	type alias Record
	inputs := json.RawMessage("{}")
	if rec.Inputs != nil {
		b, err := protojson.Marshal(rec.Inputs)
		if err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
		inputs = b
	}
	b, err := json.Marshal(struct {
		alias
		Inputs json.RawMessage `json:"inputs"`
	}{alias(rec), inputs})
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func (r *Recorder) Close() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}
