package langhost

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"testing"
)

func TestEngineAddress(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"127.0.0.1:4000"}, "127.0.0.1:4000"},
		{[]string{"-root=/p", "--logtostderr", "-v=9", "127.0.0.1:4000"}, "127.0.0.1:4000"},
		{[]string{"-tracing", "http://zipkin", "127.0.0.1:4000"}, "127.0.0.1:4000"},
		{[]string{"-tracing", "http://zipkin"}, ""},
		{[]string{"--logtostderr"}, ""},
	}
	for _, c := range cases {
		if got := EngineAddress(c.args); got != c.want {
			t.Errorf("EngineAddress(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

func TestConfigJSON(t *testing.T) {
	cfg := map[string]string{"proj:name": "x", "aws:region": "us-east-1"}

	plain, err := ConfigJSON(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(plain), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, cfg) {
		t.Errorf("plain config = %v", got)
	}

	legacy, err := ConfigJSON(cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := json.Unmarshal([]byte(legacy), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"proj:config:name": "x", "aws:config:region": "us-east-1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("legacy config = %v, want %v", got, want)
	}

	if empty, _ := ConfigJSON(nil, true); empty != "{}" {
		t.Errorf("empty config = %q", empty)
	}
	if _, err := ConfigJSON(map[string]string{"nonamespace": "v"}, true); err == nil {
		t.Error("a key without namespace must be rejected")
	}
}

func TestSecretKeysJSON(t *testing.T) {
	if s, _ := SecretKeysJSON(nil); s != "[]" {
		t.Errorf("nil keys = %q", s)
	}
	if s, _ := SecretKeysJSON([]string{"p:a", "p:b"}); s != `["p:a","p:b"]` {
		t.Errorf("keys = %q", s)
	}
}

func TestFlagArgs(t *testing.T) {
	got := FlagArgs("monitor", "127.0.0.1:1", "engine", "", "stack", "dev")
	want := []string{"--monitor", "127.0.0.1:1", "--stack", "dev"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FlagArgs = %q, want %q", got, want)
	}
}

func TestRunResult(t *testing.T) {
	if r := RunResult(nil); r.Error != "" || r.Bail {
		t.Errorf("success = %v", r)
	}
	if r := RunResult(exec.Command("sh", "-c", "exit 32").Run()); !r.Bail || r.Error != "" {
		t.Errorf("exit 32 = %v, want Bail", r)
	}
	if r := RunResult(exec.Command("sh", "-c", "exit 3").Run()); r.Bail ||
		r.Error != "program exited with non-zero exit code: 3" {
		t.Errorf("exit 3 = %v", r)
	}
	if r := RunResult(exec.Command("/nonexistent/binary").Run()); r.Error == "" {
		t.Error("a failure to start must be an error")
	}
}
