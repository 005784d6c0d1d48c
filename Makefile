# Pyrometer — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

DOTNET ?= dotnet
CONFIGURATION ?= Release
AGENT_OUT := artifacts/agent
AGENT := $(AGENT_OUT)/pyrometer

##@ General

.PHONY: help
help: ## Show this list of targets
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target>\n"} \
	  /^[a-zA-Z0-9_-]+:.*?##/ { printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2 } \
	  /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Build

.PHONY: build
build: ## Build every project (Debug)
	$(DOTNET) build Pyrometer.slnx

.PHONY: agent
agent: $(AGENT) ## Publish the pyrometer agent as one NativeAOT binary (artifacts/agent/pyrometer)

$(AGENT): $(shell find agent -name '*.cs' -o -name '*.csproj' 2>/dev/null) Directory.Build.props Directory.Packages.props
	$(DOTNET) publish agent/Pyrometer.Agent -c $(CONFIGURATION) -r linux-x64 -o $(AGENT_OUT) --nologo -v:quiet
	@rm -f $(AGENT_OUT)/*.dbg
	@ls -l $(AGENT)

##@ Test

.PHONY: test-deps
test-deps: ## Install what the tests need (interpreters, servers) into the cache; idempotent
	hack/install-test-deps.sh

.PHONY: test
test: test-deps ## Run every test (unit and live-CPython integration)
	hack/test.sh

.PHONY: test-unit
test-unit: ## Run the tests that need no interpreter or server
	hack/test.sh --filter "Category!=Integration"

##@ Run

.PHONY: demo
demo: agent test-deps ## Profile a gunicorn+uvicorn FastAPI service under load and print its hottest functions
	hack/demo.sh

.PHONY: bench
bench: agent test-deps ## Benchmarks: the agent beside austin, the renderers, the operator; prints tables
	hack/bench.sh

##@ Ship

.PHONY: crds
crds: ## Regenerate crds/ from the operator's C# types and copy the CRD into the chart
	$(DOTNET) run --project operator/Pyrometer.Operator -- crd -o crds/pyrometer.dev_profilerequests.yaml
	hack/sync-chart-crds.sh

.PHONY: chart-lint
chart-lint: ## Render the Helm chart without helm; check RBAC, pod security, values schema, CRD drift
	hack/chart-render/lint.sh

.PHONY: images
images: ## Build the operator and agent images (needs a Docker engine)
	docker build -f Dockerfile.operator -t pyrometer/operator:dev .
	docker build -f Dockerfile.agent -t pyrometer/agent:dev .

.PHONY: e2e-k3d
e2e-k3d: ## End to end on a k3d cluster (needs Docker and k3d; says so and skips otherwise)
	hack/e2e-k3d.sh

##@ Cluster

.PHONY: cluster-up
cluster-up: ## Start a local single-node Kubernetes 1.20 built from Debian's sources (first run builds it, ~4 min)
	hack/cluster.sh up

.PHONY: cluster-down
cluster-down: ## Stop the local cluster and clean up everything it started
	hack/cluster.sh down

.PHONY: cluster-status
cluster-status: ## What of the local cluster is running
	hack/cluster.sh status
