package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
)

func render(t *testing.T, text string, data interface{}) (string, error) {
	t.Helper()
	root := template.New("t").Option("missingkey=zero")
	root.Funcs(helmFuncs(root))
	if _, err := root.Parse(text); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	err := root.Execute(&b, data)
	return b.String(), err
}

func TestValuesNumbersAreFloatsAsInHelm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(path, []byte("limit: 268435456\nanchor: &a {x: 1}\nreused: *a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	values, err := readYAMLFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := render(t, `{{ .limit }} {{ .limit | int64 }} {{ .reused.x }}`, values)
	if err != nil || got != "2.68435456e+08 268435456 1" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestRequiredFailsOnMissingAndEmptyOnly(t *testing.T) {
	for _, tc := range []struct {
		data map[string]interface{}
		fail bool
	}{
		{map[string]interface{}{}, true},
		{map[string]interface{}{"v": ""}, true},
		{map[string]interface{}{"v": false}, false},
		{map[string]interface{}{"v": float64(0)}, false},
	} {
		_, err := render(t, `{{ required "v is needed" .v }}`, tc.data)
		if (err != nil) != tc.fail || (err != nil && !strings.Contains(err.Error(), "v is needed")) {
			t.Fatalf("%v: err %v", tc.data, err)
		}
	}
}

func TestToYamlSortsKeysAndDropsTheLastNewline(t *testing.T) {
	got, err := render(t, `{{ toYaml . }}|`, map[string]interface{}{"b": []interface{}{"x"}, "a": "yes"})
	if err != nil || got != "a: \"yes\"\nb:\n- x|" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestEnvIsNotAvailable(t *testing.T) {
	root := template.New("t")
	root.Funcs(helmFuncs(root))
	if _, err := root.Parse(`{{ env "HOME" }}`); err == nil || !strings.Contains(err.Error(), "not defined") {
		t.Fatalf("env should be undefined, got %v", err)
	}
}

func TestMergeValuesNullRemovesAndMapsMerge(t *testing.T) {
	base := map[string]interface{}{"a": map[string]interface{}{"x": 1.0, "y": 2.0}, "b": "keep", "c": "drop"}
	merged := mergeValues(base, map[string]interface{}{"a": map[string]interface{}{"y": 3.0}, "c": nil})
	a := merged["a"].(map[string]interface{})
	if a["x"] != 1.0 || a["y"] != 3.0 || merged["b"] != "keep" {
		t.Fatalf("merged %v", merged)
	}
	if _, ok := merged["c"]; ok {
		t.Fatalf("null did not remove c: %v", merged)
	}
}
