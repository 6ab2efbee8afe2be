# Kontor — the front door. `make help` lists the targets.
#
#   make run     install what is missing, build, migrate, load demo data, serve on 127.0.0.1:8080
#   make test    build and run every test (scripts/test)
#
# Variables (override on the command line or in the environment):
#   BUILD_DIR=build  BUILD_TYPE=RelWithDebInfo  ASAN_DIR=build-asan
#   KONTOR_DATA_DIR=./data  KONTOR_LISTEN=127.0.0.1:8080   (make run)
#   CI=true turns compiler warnings into errors (KONTOR_WERROR=ON).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

BUILD_DIR  ?= build
ASAN_DIR   ?= build-asan
BUILD_TYPE ?= RelWithDebInfo
KONTOR     := $(BUILD_DIR)/server/kontor

KONTOR_DATA_DIR ?= ./data
KONTOR_LISTEN   ?= 127.0.0.1:8080

# Warnings are errors in CI only, so a newer compiler on a laptop never blocks a local build.
ifneq ($(filter true TRUE 1 yes,$(CI)),)
  WERROR := ON
else
  WERROR := OFF
endif

# C++ sources that clang-format owns.
FMT_FILES = $(shell find server tools -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \
                -o -name '*.cc' \) 2>/dev/null | LC_ALL=C sort)

.PHONY: help deps configure build web screenshots run test bench fmt fmt-check fmt-check-cpp fmt-check-web lint sanitize-test clean

help: ## list the targets
	@echo "Kontor — make targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

deps: ## install missing Debian packages (scripts/install-deps)
	scripts/install-deps

configure: ## configure build/ (CMake + Ninja)
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DKONTOR_WERROR=$(WERROR)

build: configure ## build the server into build/
	cmake --build $(BUILD_DIR)

web: ## build the web app into web/dist (served by kontor serve)
	cd web && npm run build --silent

screenshots: build web ## run the browser journeys and save the main screens to docs/screenshots
	cd web && KONTOR_SCREENSHOTS=1 KONTOR_BIN='$(CURDIR)/$(KONTOR)' npm run e2e --silent -- --project=desktop

run: ## install deps, build, migrate, load demo data if empty, serve (KONTOR_LISTEN, KONTOR_DATA_DIR)
	scripts/install-deps
	$(MAKE) --no-print-directory build web
	export KONTOR_DATA_DIR='$(KONTOR_DATA_DIR)' KONTOR_LISTEN='$(KONTOR_LISTEN)'; \
	mkdir -p "$$KONTOR_DATA_DIR"; \
	$(KONTOR) migrate; \
	$(KONTOR) demo --if-empty; \
	echo "kontor: serving on http://$$KONTOR_LISTEN (data in $$KONTOR_DATA_DIR)"; \
	exec $(KONTOR) serve

test: ## install what is missing, build, run all tests: dependency rule + ctest on SQLite and PostgreSQL
	scripts/install-deps
	$(MAKE) --no-print-directory build
	KONTOR_BUILD_DIR='$(BUILD_DIR)' scripts/test

bench: build ## build, then load-test with wrk: /healthz, auth, tickets on 100k generated (bench/run)
	KONTOR_BIN='$(KONTOR)' bench/run

fmt: ## format C++ sources (clang-format) and the web app (Prettier) in place
	@test -n "$(FMT_FILES)" || { echo "fmt: no C++ sources"; exit 0; }
	clang-format -i $(FMT_FILES)
	cd web && npx --no-install prettier --log-level warn --write .

fmt-check: fmt-check-cpp fmt-check-web ## fail if a C++ or web source is not formatted (lists them)

fmt-check-web:
	@cd web && npx --no-install prettier --log-level warn --check . && echo "fmt-check: web ok"

fmt-check-cpp:
	@test -n "$(FMT_FILES)" || { echo "fmt-check: no C++ sources"; exit 0; }
	@out="$$(clang-format --dry-run -Werror $(FMT_FILES) 2>&1)" && \
	  { echo "fmt-check: ok ($(words $(FMT_FILES)) files)"; exit 0; }; \
	bad="$$(sed -nE 's/^([^:]+):[0-9]+:[0-9]+: error: code should be clang-formatted.*/\1/p' \
	  <<<"$$out" | sort -u)"; \
	if [ -z "$$bad" ]; then echo "$$out"; exit 1; fi; \
	sed 's/^/  not formatted: /' <<<"$$bad"; \
	echo "fmt-check: $$(wc -l <<<"$$bad") of $(words $(FMT_FILES)) files not formatted; run 'make fmt'"; \
	exit 1

# clang-tidy 14 knows C++23 only as c++2b, and libstdc++ 12 hides std::expected from a compiler whose
# __cpp_concepts is below 202002L (clang 14's is 201907L): both are patched on its command line.
TIDY_ARGS := --quiet --extra-arg=-std=c++2b --extra-arg=-U__cpp_concepts \
             --extra-arg=-D__cpp_concepts=202002L

lint: configure ## clang-tidy over server/src (advisory, not part of test)
	cmake --build $(BUILD_DIR)   # generated sources (embedded files, version.hpp) must exist
	find server/src -name '*.cpp' -print0 | LC_ALL=C sort -z | \
	  xargs -0 -P 2 -n 4 clang-tidy -p $(BUILD_DIR) $(TIDY_ARGS)

sanitize-test: ## ASan + UBSan Debug build in build-asan/, then all tests there
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKONTOR_SANITIZE=ON \
	  -DKONTOR_WERROR=$(WERROR)
	cmake --build $(ASAN_DIR)
	KONTOR_BUILD_DIR='$(ASAN_DIR)' ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 scripts/test

clean: ## remove build directories (not data/)
	rm -rf $(BUILD_DIR) $(ASAN_DIR)
