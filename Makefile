# bounce-doctor: `make serve` (the page on http://127.0.0.1:8080), `make build` (dist/ for any
# static host), `make test` (native, wasm-in-Chromium and end-to-end tests). Each target installs
# what is missing first; the checks make repeats instant.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

# npm's binaryen (wasm-opt 132) must come first: Debian's wasm-opt 108 writes broken modules.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true

TRUNK_VERSION := 0.21.14
# The CLI must match the wasm-bindgen crate exactly, so it is read from the lock file.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
LOGS := target/test-logs
BROWSER_ENV := WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver

.PHONY: serve build test bench setup-rust setup-browser setup-npm test-native test-wasm test-e2e test-fuzz-build clean-dist

setup-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -qx "trunk $(TRUNK_VERSION)" || cargo install --locked trunk --version $(TRUNK_VERSION)
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
	@# Not --locked: the CLI's own lock file names a crate release this registry lacks.
	@{ wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" \
	   && wasm-bindgen-test-runner --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; } \
	   || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

setup-browser:
	@{ command -v chromium && command -v chromedriver && fc-list | grep -qi ipagothic; } >/dev/null 2>&1 \
	   || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver fonts-ipafont-gothic; }

setup-npm: node_modules/.installed

node_modules/.installed: package.json package-lock.json .npmrc
	npm ci
	@touch $@

serve: setup-rust setup-npm
	trunk serve

build: setup-rust setup-npm
	trunk build --release

test: setup-rust setup-browser setup-npm
	@mkdir -p $(LOGS)
	@# The page is built first, so the size-budget test in the native layer measures it.
	$(MAKE) --no-print-directory build test-native test-fuzz-build test-wasm test-e2e
	@native=$$(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed.*/\1/p' $(LOGS)/native.log | awk '{ s += $$1 } END { print s + 0 }'); \
	 wasm=$$(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed.*/\1/p' $(LOGS)/wasm.log | awk '{ s += $$1 } END { print s + 0 }'); \
	 e2e=$$(sed -n 's/^# pass \([0-9]*\)$$/\1/p' $(LOGS)/e2e.log); \
	 echo; echo "layer 1, native cargo test:        $$native passed"; \
	 echo "layer 2, wasm in headless Chromium: $$wasm passed"; \
	 echo "layer 3, end-to-end (playwright):   $$e2e passed"; \
	 echo "total: $$((native + wasm + e2e)) passed, 0 failed"

test-native:
	cargo test 2>&1 | tee $(LOGS)/native.log

# The fuzz targets (fuzz/README.md) must keep compiling as the library changes; running them
# is a separate, long job.
test-fuzz-build:
	cargo check --manifest-path fuzz/Cargo.toml --bins --all-features 2>&1 | tee $(LOGS)/fuzz.log
	@echo "fuzz targets: all build"

# Speed, memory and size in one table (target/bench.md); see scripts/bench.sh. `make bench
# BASELINE=main` also builds that commit's page and measures it beside this one.
bench: setup-rust setup-browser setup-npm build
	scripts/bench.sh

test-wasm:
	$(BROWSER_ENV) cargo test --target wasm32-unknown-unknown --no-default-features --lib 2>&1 | tee $(LOGS)/wasm.log

test-e2e:
	node --test --test-concurrency=1 --test-reporter=tap tests/e2e/ 2>&1 | tee $(LOGS)/e2e.log
