// chart-render renders a Helm chart's templates as Helm does — Go's text/template, sprig's functions
// and Helm's own, values read through sigs.k8s.io/yaml — so the chart can be checked where no helm
// binary exists. It builds from Debian's packaged Go libraries (build.sh), with no module downloads.
//
//	go run . [--release NAME] [--namespace NS] [-f VALUES.yaml]... [--notes | --dump-values] CHART_DIR
//
// Output: every non-partial template as "---\n# Source: CHART/templates/FILE\n..." on stdout (empty
// templates are left out, as Helm does); --notes prints NOTES.txt instead; --dump-values prints the
// merged values as JSON (what values.schema.json is checked against). Errors go to stderr, exit 1.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"sigs.k8s.io/yaml"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "chart-render:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("chart-render", flag.ContinueOnError)
	release := flags.String("release", "pyrometer", "the release name")
	namespace := flags.String("namespace", "pyrometer", "the release namespace")
	notes := flags.Bool("notes", false, "print the rendered NOTES.txt instead of the manifests")
	dump := flags.Bool("dump-values", false, "print the merged values as JSON instead of rendering")
	var files valueFiles
	flags.Var(&files, "f", "a values file merged over the chart's values.yaml (repeatable)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		return errors.New("usage: chart-render [--release NAME] [--namespace NS] [-f VALUES]... [--notes|--dump-values] CHART_DIR")
	}
	chartDir := flags.Arg(0)

	chartMeta, err := readYAMLFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return err
	}
	values, err := readYAMLFile(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return err
	}
	for _, file := range files {
		override, err := readYAMLFile(file)
		if err != nil {
			return err
		}
		values = mergeValues(values, override)
	}
	if *dump {
		out, err := json.MarshalIndent(values, "", "  ")
		if err != nil {
			return err
		}
		fmt.Println(string(out))
		return nil
	}

	chartName, _ := chartMeta["name"].(string)
	if chartName == "" {
		return errors.New("Chart.yaml has no name")
	}
	top := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name": *release, "Namespace": *namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
		"Chart": map[string]interface{}{
			"Name": chartName, "Version": chartMeta["version"], "AppVersion": chartMeta["appVersion"],
			"Description": chartMeta["description"],
		},
	}
	root, names, err := parseTemplates(filepath.Join(chartDir, "templates"), chartName)
	if err != nil {
		return err
	}
	for _, name := range names {
		base := filepath.Base(name)
		if strings.HasPrefix(base, "_") || (base == "NOTES.txt") != *notes {
			continue
		}
		var out strings.Builder
		if err := root.ExecuteTemplate(&out, name, top); err != nil {
			return err
		}
		// Helm renders missing values as empty, not as Go's "<no value>".
		text := strings.ReplaceAll(out.String(), "<no value>", "")
		if *notes {
			fmt.Print(text)
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		fmt.Printf("---\n# Source: %s\n%s\n", name, strings.TrimRight(text, "\n"))
	}
	return nil
}

func readYAMLFile(path string) (map[string]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// As Helm reads values: YAML to JSON to Go, so every number is a float64.
	values := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &values); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if values == nil {
		values = map[string]interface{}{}
	}
	return values, nil
}

// mergeValues lays override over base the way Helm does: maps merge key by key, anything else replaces,
// and a null removes the key.
func mergeValues(base, override map[string]interface{}) map[string]interface{} {
	result := map[string]interface{}{}
	for k, v := range base {
		result[k] = v
	}
	for k, v := range override {
		if v == nil {
			delete(result, k)
			continue
		}
		baseMap, baseIsMap := result[k].(map[string]interface{})
		overrideMap, overrideIsMap := v.(map[string]interface{})
		if baseIsMap && overrideIsMap {
			result[k] = mergeValues(baseMap, overrideMap)
		} else {
			result[k] = v
		}
	}
	return result
}

// parseTemplates loads every file under templates/ into one set named "CHART/templates/FILE", so that
// defines from partials are visible to all of them, as in Helm.
func parseTemplates(dir, chartName string) (*template.Template, []string, error) {
	root := template.New(chartName).Option("missingkey=zero")
	root.Funcs(helmFuncs(root))
	var names []string
	err := filepath.WalkDir(dir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		relative, _ := filepath.Rel(dir, path)
		name := chartName + "/templates/" + filepath.ToSlash(relative)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, err := root.New(name).Parse(string(data)); err != nil {
			return err
		}
		names = append(names, name)
		return nil
	})
	sort.Strings(names)
	return root, names, err
}
