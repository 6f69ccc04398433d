package main

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type composeFile struct {
	Services map[string]struct {
		Image       string         `yaml:"image"`
		Build       any            `yaml:"build"`
		Command     []string       `yaml:"command"`
		Ports       []string       `yaml:"ports"`
		Volumes     []string       `yaml:"volumes"`
		Healthcheck map[string]any `yaml:"healthcheck"`
		DependsOn   map[string]any `yaml:"depends_on"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func readCompose(t *testing.T, path string) composeFile {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	return c
}

func TestComposeFilesDescribeARunnableDeployment(t *testing.T) {
	cases := []struct {
		file     string
		nodes    []string
		ports    map[string]string
		storeURL string
	}{
		{"../../compose.yaml", []string{"kurrentdb"}, map[string]string{"kurrentdb": "2113:2113", "felles": "8080:8080"}, "esdb://kurrentdb:2113"},
		{"../../compose.cluster.yaml", []string{"node1", "node2", "node3"},
			map[string]string{"node1": "2111:2113", "node2": "2112:2113", "node3": "2113:2113", "felles": "8080:8080"}, "esdb+discover://node1:2113,node2:2113,node3:2113"},
	}
	for _, c := range cases {
		t.Run(strings.TrimPrefix(c.file, "../../"), func(t *testing.T) {
			f := readCompose(t, c.file)
			for _, n := range c.nodes {
				s, ok := f.Services[n]
				if !ok {
					t.Fatalf("service %s is missing", n)
				}
				name, tag, pinned := strings.Cut(s.Image, ":")
				if !strings.Contains(name, "kurrentdb") || !pinned || tag == "latest" || tag == "" {
					t.Errorf("%s: want a pinned KurrentDB image, got %q", n, s.Image)
				}
				if s.Healthcheck["test"] == nil {
					t.Errorf("%s has no health check", n)
				}
				if len(s.Volumes) == 0 {
					t.Errorf("%s keeps its data in no volume", n)
				}
			}
			fe, ok := f.Services["felles"]
			if !ok {
				t.Fatal("service felles is missing")
			}
			if fe.Build == nil {
				t.Error("felles must be built from the repository's Dockerfile")
			}
			if fe.Healthcheck["test"] == nil || len(fe.Volumes) == 0 || len(fe.DependsOn) != len(c.nodes) {
				t.Errorf("felles needs a health check, a data volume and to wait for every node: %+v", fe)
			}
			for svc, port := range c.ports {
				if got := f.Services[svc].Ports; len(got) != 1 || got[0] != port {
					t.Errorf("%s: want port %s, got %v", svc, port, got)
				}
			}
			if len(fe.Command) == 0 || fe.Command[0] != "serve" {
				t.Fatalf("felles command: %v", fe.Command)
			}
			cfg, err := parseServeFlags(fe.Command[1:])
			if err != nil {
				t.Fatalf("the compose command does not parse as serve flags: %v", err)
			}
			if !strings.HasPrefix(cfg.store, c.storeURL) {
				t.Errorf("felles store: want %s…, got %q", c.storeURL, cfg.store)
			}
			if cfg.dataDir != "/data" || cfg.addr != "0.0.0.0:8080" {
				t.Errorf("felles must keep data in /data and listen on all interfaces: %+v", cfg)
			}
		})
	}
	if _, err := os.Stat("../../Dockerfile"); err != nil {
		t.Fatalf("the Dockerfile compose builds from is missing: %v", err)
	}
}
