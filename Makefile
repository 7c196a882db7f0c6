# unshare(2) in Rust: the workbench. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

B ?= $(CURDIR)/build
export B
PATCHES := $(CURDIR)/patches
export PATCHES
ARCH ?= x86_64
JOBS ?= $(shell nproc)
CMDLINE ?=
TIMEOUT ?= 1500

# The tree the kernel is built from: the pinned base with patches/ applied, or KERNEL_SRC.
ifeq ($(KERNEL_SRC),)
KSRC := $(B)/linux
OWN_TREE := 1
else
KSRC := $(abspath $(KERNEL_SRC))
OWN_TREE :=
endif
OBJ := $(B)/obj-$(ARCH)
BZIMAGE := $(OBJ)/arch/x86/boot/bzImage

LIBCLANG_PATH := $(firstword $(wildcard $(B)/venv/lib/python3*/site-packages/clang/native))
# The kernel's make, with Debian's rustc-web toolchain, the pinned bindgen and ccache.
KMAKE := env PATH=/usr/lib/ccache:$(PATH) LIBCLANG_PATH=$(LIBCLANG_PATH) CCACHE_BASEDIR=$(B) \
	$(MAKE) --no-print-directory ARCH=$(ARCH) RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc \
	RUSTFMT=/usr/bin/rustfmt CLIPPY_DRIVER=/usr/bin/clippy-driver \
	BINDGEN=$(HOME)/.cargo/bin/bindgen
export KMAKE

FRAGMENTS := configs/$(ARCH).config configs/unshare-rust.config

.PHONY: help setup tree config kernel kernel-path selftests demo shell check check-base \
	matrix build-each-patch bench bench-trace export reset-tree verify-series clean

help:
	@echo "make setup        install every tool and fetch the base (idempotent)"
	@echo "make check        build, boot and run every test under both implementations"
	@echo "make              build and boot a demonstration of unshare(2)"
	@echo "make shell        boot the kernel into an interactive shell"
	@echo "make kernel-path  print the path of the built bzImage"
	@echo "make check-base   run the selftests on the unmodified base kernel (the baseline)"
	@echo "make bench        time every kind of unshare under both implementations"
	@echo "make reliability  debug kernel: fail-nth sweep, fuzzer, soak, C against Rust (reliability-small: short)"
	@echo "make matrix       build and test with each optional feature (and Rust) turned off"
	@echo "make build-each-patch  build the kernel at every patch of the series"
	@echo "make export       write the commits of the tree to patches/ and the overlay"
	@echo "Options: KERNEL_SRC=<tree> CMDLINE=<kernel args> B=<build folder>"

setup:
	@workbench/setup.sh

# --- the tree ---------------------------------------------------------------
tree:
ifeq ($(OWN_TREE),1)
	@workbench/prepare-tree.sh
	@workbench/apply-series.sh
else
	@test -f $(KSRC)/Makefile && grep -q '^VERSION = ' $(KSRC)/Makefile || \
		{ echo "error: KERNEL_SRC=$(KERNEL_SRC) is not a kernel source tree (no top-level Makefile with VERSION)"; exit 1; }
	@test -f $(KSRC)/kernel/unshare.rs || \
		{ echo "error: KERNEL_SRC=$(KERNEL_SRC) lacks kernel/unshare.rs: apply patches/ with git am first"; exit 1; }
endif

verify-series: tree
ifeq ($(OWN_TREE),1)
	@workbench/verify-overlay.sh $(KSRC)
endif

# --- the kernel ---------------------------------------------------------------
$(OBJ)/.config: $(FRAGMENTS) | tree
	@workbench/kconfig.sh $(KSRC) $(OBJ) $(FRAGMENTS)

config: tree $(OBJ)/.config

kernel: config
	@workbench/check-tools.sh
	@echo "kernel: building $(BZIMAGE) (log: $(OBJ)/build.log)"
	@$(KMAKE) -C $(KSRC) O=$(OBJ) -j$(JOBS) bzImage >$(OBJ)/build.log 2>&1 || \
		{ grep -m5 -E 'error|Error' $(OBJ)/build.log; echo "error: the kernel build failed; see $(OBJ)/build.log"; exit 1; }

kernel-path:
	@test -f $(BZIMAGE) || { echo "error: $(BZIMAGE) is not built: run make kernel" >&2; exit 1; }
	@echo $(BZIMAGE)

# --- the guest ----------------------------------------------------------------
selftests: tree
	@tests/selftests/build.sh $(KSRC) $(B)/selftests
	@tests/unshare-selftest/build.sh $(KSRC) $(B)/unshare-selftest $(KSRC)/tools/testing/selftests/unshare

demo: kernel
	@tests/demo/run.sh $(BZIMAGE)

shell: kernel
	@tests/demo/shell.sh $(BZIMAGE)

check: verify-series kernel selftests
	@workbench/check.sh $(BZIMAGE)

# The unmodified base, for the baseline of tests/selftests/expectations.txt.
BASE_TREE := $(B)/linux-base
BASE_OBJ := $(B)/obj-base-$(ARCH)
check-base: tree selftests
	@test -d $(BASE_TREE) || git -C $(B)/linux worktree add -q --detach $(BASE_TREE) base
	@workbench/kconfig.sh $(BASE_TREE) $(BASE_OBJ) configs/$(ARCH).config
	@echo "kernel: building the base $(BASE_OBJ) (log: $(BASE_OBJ)/build.log)"
	@$(KMAKE) -C $(BASE_TREE) O=$(BASE_OBJ) -j$(JOBS) bzImage >$(BASE_OBJ)/build.log 2>&1 || \
		{ echo "error: the base kernel build failed; see $(BASE_OBJ)/build.log"; exit 1; }
	@IMPLS=base workbench/check.sh $(BASE_OBJ)/arch/x86/boot/bzImage

# Every patch of the series builds on its own, without warnings (clippy included).
build-each-patch: tree
	@workbench/build-each-patch.sh $(KSRC)

matrix: tree selftests
	@workbench/matrix.sh $(KSRC) $(MATRIX)

# Rust against C, side by side in one run (icount: deterministic guest instruction counts).
bench: kernel
	@tests/bench/run.sh $(BZIMAGE) $(B)/bench

# Where the Rust implementation spends instructions that C does not, call by call (gdb).
bench-trace: kernel
	@tests/bench/trace.sh $(BZIMAGE) $(B)/bench/trace

# The debug kernel and the reliability run (fault injection, differential fuzzer, soak).
include tests/reliability/reliability.mk

# --- the series -----------------------------------------------------------------
export:
	@workbench/export.sh $(KSRC)

reset-tree:
	@rm -f $(B)/stamps/series
	@git -C $(KSRC) checkout -q -f series 2>/dev/null || true
	@git -C $(KSRC) reset -q --hard base
	@workbench/apply-series.sh

clean:
	rm -rf $(OBJ) $(B)/selftests $(B)/unshare-selftest $(B)/guest
