# Connect Four, Go end to end. Run `make help` for the targets.
#
# Every target installs what it needs itself: Debian's chromium with apt-get,
# and Go tools at pinned versions into ./bin.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

export GOTOOLCHAIN := local

PORT ?= 8000
BIN  := $(CURDIR)/bin
DIST := backend/internal/static/dist
MODULES := ./shared/... ./backend/... ./frontend/...
# The packages that build for the browser.
WASM_MODULES := ./shared/... ./frontend/...

STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(BIN)/staticcheck-$(STATICCHECK_VERSION)
# wasmbrowsertest runs the GOOS=js GOARCH=wasm tests in headless Chromium. Its
# version is pinned by the tool directive in backend/go.mod, with chromedp.
WASMBROWSERTEST := $(BIN)/wasmbrowsertest
# axe-core checks the page's accessibility in the end-to-end tests: a pinned
# version from npm, installed for the tests alone into ./bin.
AXE_VERSION := 4.14.1
AXE := $(BIN)/axe-core-$(AXE_VERSION)/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: serve
serve: build ## Build everything and serve the game on http://localhost:$PORT/ (8000).
	@echo "Open http://localhost:$(PORT)/ in your browser. Ctrl-C stops the server."
	PORT=$(PORT) $(BIN)/connect4

.PHONY: build
build: frontend ## Build bin/connect4: one binary with the page and the wasm inside.
	go build -trimpath -o $(BIN)/connect4 ./backend/cmd/connect4

.PHONY: frontend
frontend: $(DIST)/app.wasm.br $(DIST)/worker.wasm.br $(DIST)/wasm_exec.js.br ## Build the WebAssembly frontend (the page and its worker), with brotli and gzip copies, into the backend's static files.

# The frontend is rebuilt when a Go file it may import changes; its compressed
# copies (brotli at its best takes about 15 s) only when it does.
FRONTEND_SOURCES := $(shell find frontend shared -name '*.go' ! -name '*_test.go') \
	frontend/go.mod frontend/go.sum shared/go.mod go.work

# Without inlining (-l, in every package) the page's wasm is 5% larger but 8%
# smaller in brotli, which is what browsers fetch; the page does too little
# work to feel the calls (BENCHMARKS.md, "The page's size").
$(DIST)/app.wasm: $(FRONTEND_SOURCES)
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -gcflags=all=-l -o $@ ./frontend/cmd/app

# The page's Web Worker: the solver, the computer's players and the opening
# book, which the page loads only when first needed.
$(DIST)/worker.wasm: $(FRONTEND_SOURCES) shared/solver/book/book.bin
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o $@ ./frontend/cmd/worker

# wasm_exec.js must come from the toolchain that built app.wasm.
$(DIST)/wasm_exec.js: $(shell go env GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

$(DIST)/%.br $(DIST)/%.gz: $(DIST)/%
	go run ./backend/cmd/precompress $<

.PHONY: test
test: build lint $(WASMBROWSERTEST) $(AXE) packages ## Lint, then run every test: native (with -race), wasm in Chromium, end to end.
	@# The wasm tests run one package at a time: wasmbrowsertest maps the files
	@# of the test binaries (such as an Example's captured output) onto one /tmp.
	CONNECT4_BIN=$(BIN)/connect4 CONNECT4_AXE=$(AXE) go test -race -count=1 $(MODULES)
	GOOS=js GOARCH=wasm go test -p 1 -count=1 -exec=$(WASMBROWSERTEST) $(WASM_MODULES)
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

# How much each fuzz test runs in `make test`: a number of inputs, not a time.
# With a time, Go 1.26's fuzzing may fail at the deadline with a bare
# "context deadline exceeded" on a busy machine (golang/go#75804, fixed in
# Go 1.27); a count has no deadline. `make fuzz FUZZTIME=10m` runs them longer.
FUZZTIME ?= 100000x

.PHONY: fuzz
fuzz: ## Run each fuzz test for FUZZTIME (100000 inputs in make test; try FUZZTIME=10m).
	go test -run='^$$' -fuzz='^FuzzPlay$$' -fuzztime=$(FUZZTIME) ./shared/connect4
	go test -run='^$$' -fuzz='^FuzzDecodeCommand$$' -fuzztime=$(FUZZTIME) ./shared/protocol
	go test -run='^$$' -fuzz='^FuzzScanObject$$' -fuzztime=$(FUZZTIME) ./shared/protocol
	go test -run='^$$' -fuzz='^FuzzAppendString$$' -fuzztime=$(FUZZTIME) ./shared/protocol
	go test -run='^$$' -fuzz='^FuzzUnquote$$' -fuzztime=$(FUZZTIME) ./shared/protocol

.PHONY: bench
bench: build packages ## Measure: Go benchmarks, a standard load run, the frontend; writes bench/results.md.
	bash bench/bench.sh

.PHONY: lint
lint: frontend $(STATICCHECK) ## gofmt, go vet and staticcheck, native and GOOS=js GOARCH=wasm.
	@unformatted=$$(gofmt -l shared backend frontend); \
	  if [ -n "$$unformatted" ]; then echo "gofmt -w these files:"; echo "$$unformatted"; exit 1; fi
	go vet $(MODULES)
	GOOS=js GOARCH=wasm go vet $(WASM_MODULES)
	$(STATICCHECK) $(MODULES)
	GOOS=js GOARCH=wasm $(STATICCHECK) $(WASM_MODULES)

# The Debian packages the tests need, each named as its command: chromium for
# the browser tests, redis-server for the instances that share games, npm for
# axe-core.
PACKAGES := chromium redis-server npm

.PHONY: packages
packages: ## Install the Debian packages the tests need (chromium, redis-server, npm), those missing.
	@missing=$$(for p in $(PACKAGES); do command -v $$p >/dev/null || echo $$p; done); \
	  if [ -n "$$missing" ]; then $(SUDO) apt-get update && $(SUDO) apt-get install -y $$missing; fi

$(STATICCHECK):
	GOBIN=$(BIN) go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv $(BIN)/staticcheck $@

$(AXE): | packages
	npm install --prefix $(BIN)/axe-core-$(AXE_VERSION) --no-save --no-audit --no-fund axe-core@$(AXE_VERSION)
	test -s $@

$(WASMBROWSERTEST): backend/go.mod backend/go.sum
	cd backend && go build -o $@ github.com/agnivade/wasmbrowsertest

.PHONY: clean
clean: ## Remove what the build made.
	rm -rf $(BIN)
	find $(DIST) -type f ! -name .gitkeep -delete

