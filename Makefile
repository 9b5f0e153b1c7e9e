# Thin wrapper over meson/ninja: `make run`, `make check`, `make bench`.
BUILD ?= build
DB ?= var/demo.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build run check bench fuzz clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) >/dev/null

build: $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

run: deps build
	@mkdir -p $(dir $(DB))
	$(BUILD)/saldo demo --database sqlite:$(DB) --force
	exec $(BUILD)/saldo serve --database sqlite:$(DB) --listen $(LISTEN)

check: deps
	@scripts/check.sh

bench: deps build
	@bench/run.sh

clean:
	rm -rf $(BUILD) build-san var

# Each fuzz target for FUZZ_SECONDS (default 300) over its corpus.
fuzz: deps
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-300} scripts/check.sh --fuzz-only
