# Pyrometer — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

DOTNET ?= dotnet
CONFIGURATION ?= Release
AGENT_OUT := artifacts/agent
AGENT := $(AGENT_OUT)/pyrometer
OPERATOR_OUT := artifacts/operator
OPERATOR := $(OPERATOR_OUT)/pyrometer-operator.dll
KUBECTL_PLUGIN := artifacts/kubectl-pyrometer

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

.PHONY: operator
operator: $(OPERATOR) ## Publish the operator (artifacts/operator/, framework-dependent, ASP.NET Core)

$(OPERATOR): $(shell find operator agent/Pyrometer.Agent.Contracts agent/Pyrometer.Rendering -name '*.cs' -o -name '*.csproj' 2>/dev/null) Directory.Build.props Directory.Packages.props
	$(DOTNET) publish operator/Pyrometer.Operator -c $(CONFIGURATION) -o $(OPERATOR_OUT) --nologo -v:quiet
	@ls -l $(OPERATOR)

.PHONY: kubectl-pyrometer
kubectl-pyrometer: $(KUBECTL_PLUGIN) ## Publish the kubectl plugin as one file (artifacts/kubectl-pyrometer; needs the .NET 10 runtime)

$(KUBECTL_PLUGIN): $(shell find operator/Pyrometer.Kubectl -name '*.cs' -o -name '*.csproj' 2>/dev/null) Directory.Build.props Directory.Packages.props
	$(DOTNET) publish operator/Pyrometer.Kubectl -c $(CONFIGURATION) -r linux-x64 --self-contained false -p:PublishSingleFile=true -o artifacts/kubectl-plugin --nologo -v:quiet
	@cp artifacts/kubectl-plugin/kubectl-pyrometer $(KUBECTL_PLUGIN)
	@ls -l $(KUBECTL_PLUGIN)

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

.PHONY: fuzz
fuzz: test-deps ## Fuzz the ELF parser, line tables and memory walker under afl-fuzz (FUZZ_SECONDS each, default 60); fails on any crash or hang
	hack/fuzz.sh

##@ Run

.PHONY: bench-cluster
bench-cluster: agent operator ## The operator against the local cluster's real API server: a burst, 1000 requests, its memory
	hack/bench-operator-cluster.sh

.PHONY: e2e
e2e: agent operator kubectl-pyrometer test-deps ## End to end on a local Kubernetes built from Debian's sources (root; first run builds it)
	hack/e2e.sh

.PHONY: demo
demo: agent operator test-deps ## Profile a FastAPI service (gunicorn, 4 uvicorn workers, PostgreSQL) in a real cluster; print the hot functions and each endpoint's view
	hack/demo.sh

.PHONY: bench
bench: agent test-deps ## Benchmarks: the agent beside austin, the renderers, the operator; prints tables
	hack/bench.sh

##@ Ship

.PHONY: crds
crds: ## Regenerate crds/ from the operator's C# types and copy the CRD into the chart
	$(DOTNET) run --project operator/Pyrometer.Operator -- crd -o $(CURDIR)/crds/pyrometer.dev_profilerequests.yaml
	hack/sync-chart-crds.sh

.PHONY: chart-lint
chart-lint: ## Render the Helm chart without helm; check RBAC, pod security, values schema, CRD drift
	hack/chart-render/lint.sh

.PHONY: images
images: ## Build the images: with Docker from the Dockerfiles, else the same contents with umoci (hack/images.sh)
	@if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then \
	  docker build -f Dockerfile.operator -t pyrometer/operator:dev . && \
	  docker build -f Dockerfile.agent -t pyrometer/agent:dev .; \
	else \
	  echo "no Docker engine: building the same images with umoci (hack/images.sh)"; \
	  $(MAKE) agent operator && hack/cluster.sh build && hack/images.sh build; \
	fi

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
