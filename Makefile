# SPDX-License-Identifier: GPL-2.0
# unshare(2) in Rust: the workbench. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

B ?= $(CURDIR)/build
export B
PATCHES := $(CURDIR)/patches
export PATCHES
# make check runs the figure check of the documentation (check-figures), every architecture, the
# check that the committed coverage report describes the tree (check-coverage), the x86_64 suites on the Debian base without its unprivileged_userns_clone patch (every patch but the
# Debian-only last one), kunit.py config with the series' kunitconfig (kunitconfig), the x86_64
# suites on the debug kernel and the short reliability run, unless ARCH is given: then that
# architecture only.
ARCH_GIVEN := $(filter command line environment,$(origin ARCH))
ARCH ?= x86_64
JOBS ?= $(shell nproc)
CMDLINE ?=

# The base the series is applied to (workbench/prepare-tree.sh, apply-series.sh):
#   debian           Debian's linux-source-7.3 (workbench/base.env), with the whole series;
#   vanilla          upstream Linux 7.3.4 (Debian's linux_7.3.4.orig.tar.xz), every patch but
#                    the last, Debian-only one;
#   debian-nosysctl  Debian's tree with Debian's unprivileged_userns_clone patch reverted
#                    (workbench/debian-userns-sysctl.revert.patch), every patch but the last.
# The other bases keep their tree, build and outputs in $(B)/base-<name> (x86_64 only).
BASE ?= debian
ifeq ($(BASE),debian)
BASE_DIR := $(B)
else ifneq ($(filter vanilla debian-nosysctl,$(BASE)),)
BASE_DIR := $(B)/base-$(BASE)
else
$(error BASE=$(BASE) is not a base: pass debian, vanilla or debian-nosysctl)
endif
export BASE BASE_DIR

# The tree the kernel is built from: the base with patches/ applied, or KERNEL_SRC.
ifeq ($(KERNEL_SRC),)
KSRC := $(BASE_DIR)/linux
OWN_TREE := 1
else
KSRC := $(abspath $(KERNEL_SRC))
OWN_TREE :=
endif
# $(BASE_DIR)/obj-ARCH beside $(BASE_DIR)/linux: the same relative source paths on every base,
# so that ccache (CCACHE_BASEDIR) reuses the objects of the files the bases share.
OBJ := $(BASE_DIR)/obj-$(ARCH)
export ARCH

# Per ARCH, from tests/qemu/arch.sh (the one source of the cross tools, the kernel's ARCH=,
# the boot image and the guest): KIMAGE, the boot image under O=. The guest programs and the
# logs of check go to GB: $(B) for x86_64, $(B)/cross/ARCH (beside its busybox and sysroot)
# otherwise.
KIMAGE := $(shell B=$(B) ARCH=$(ARCH) bash -c '. tests/qemu/arch.sh && echo "$$KIMAGE"')
ifeq ($(KIMAGE),)
$(error ARCH=$(ARCH) is not supported: pass x86_64, arm64 or riscv64)
endif
ifeq ($(ARCH),x86_64)
GB := $(BASE_DIR)
else ifneq ($(BASE),debian)
$(error BASE=$(BASE) is for x86_64 only: drop ARCH=$(ARCH))
else
GB := $(B)/cross/$(ARCH)
endif
CROSS_DIR := $(B)/cross/$(ARCH)
export CROSS_DIR
BZIMAGE := $(OBJ)/$(KIMAGE)
# The parts of make check (workbench/check-parts.sh).
ARCHS ?= x86_64 arm64 riscv64
CHECK_PARTS ?= $(if $(ARCH_GIVEN),$(ARCH),figures $(ARCHS) coverage x86_64-nosysctl kunitconfig x86_64-debug reliability-small)

LIBCLANG_PATH := $(firstword $(wildcard $(B)/venv/lib/python3*/site-packages/clang/native))
# The kernel's make, with Debian's rustc-web toolchain, the pinned bindgen and ccache.
KMAKE_ENV := PATH=/usr/lib/ccache:$(PATH) LIBCLANG_PATH=$(LIBCLANG_PATH) CCACHE_BASEDIR=$(B)
KMAKE_VARS := RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTFMT=/usr/bin/rustfmt \
	CLIPPY_DRIVER=/usr/bin/clippy-driver BINDGEN=$(HOME)/.cargo/bin/bindgen
KMAKE := env $(KMAKE_ENV) $(MAKE) --no-print-directory ARCH=$(ARCH) $(KMAKE_VARS)
export KMAKE KMAKE_VARS

# The kernel crate's doctests are built and run by the x86_64 kernel on the Debian base and by the
# debug kernel; the other kernels of make check leave them out (configs/no-doctests.config),
# unless DOCTESTS=1.
DOCTESTS ?= $(if $(and $(filter x86_64,$(ARCH)),$(filter debian,$(BASE))),1,0)
FRAGMENTS := configs/$(ARCH).config configs/unshare-rust.config \
	$(if $(filter 1,$(DOCTESTS)),,configs/no-doctests.config)

# Targets that work on the Debian base only (the series is edited and exported there; the debug
# and KASAN kernels and check-base are built from it).
debian-only:
	@test $(BASE) = debian || { echo "error: make $(MAKECMDGOALS) is for the Debian base; drop BASE=$(BASE)"; exit 1; }

# Targets that build or boot x86_64 only.
x86-only:
	@$(call x86_only,$(MAKECMDGOALS))
x86_only = test $(ARCH) = x86_64 || { echo "error: make $(1) is for x86_64; drop ARCH=$(ARCH)"; exit 1; }

.PHONY: check-arch x86-only debian-only help setup tree config kernel kernel-path kunit kunitconfig selftests demo shell check check-base \
	matrix build-each-patch build-each-patch-base bench bench-trace export mail reset-tree verify-series clean

help:
	@echo "make setup        install every tool and fetch the base (idempotent)"
	@echo "make check        build, boot and run every test under both implementations: figures, $(ARCHS),"
	@echo "                  coverage (the report's sources are the tree's), x86_64-nosysctl, kunitconfig, x86_64-debug and reliability-small (ARCH=<one>: that one only;"
	@echo "                  CHECK_PARTS=...); the table of the results in $(B)/results/check.md"
	@echo "make results      copy the latest results of the runs ($(B)/results, bench, reliability...) to docs/results/"
	@echo "make check-figures  the docs quote no run figure that docs/results lacks (the part figures of make check)"
	@echo "make              build and boot a demonstration of unshare(2)"
	@echo "make shell        boot the kernel into an interactive shell"
	@echo "make kernel-path  print the path of the built bzImage"
	@echo "make check-base   run the selftests on the unmodified base kernel (the baseline)"
	@echo "make bench        time every kind of unshare under both implementations"
	@echo "make reliability  debug kernel: fail-nth sweep, fuzzer, soak, C against Rust (reliability-small: short)"
	@echo "make reliability-rounds   the fail-nth sweep 10 times per boot, every round against every other"
	@echo "make reliability-mutants  the fail-nth sweep on debug kernels with seeded divergences: each must be caught"
	@echo "make coverage     KCOV kernel: the suites under both implementations, lines and error edges reached,"
	@echo "                  written to docs/results/coverage.md (make check-coverage: it describes the tree)"
	@echo "make check-debug  every suite of make check on the debug kernel, no splat, no leak (x86_64)"
	@echo "make check-kasan  the same on the KASAN kernel (clang 22; reliability-kasan-small: the short run)"
	@echo "make kcsan        KCSAN kernel (clang 22): the soak under both implementations, its races listed"
	@echo "make check-clang  the x86_64 suites on the clang-22 kernel, C against Rust"
	@echo "make bench-clang  make bench on the GCC kernel and on clang-22 kernels without and with RUST_INLINE_HELPERS"
	@echo "make matrix       build and test with each optional feature (and Rust) turned off"
	@echo "make build-each-patch  build the kernel at every patch of the series, on both gated bases (FROM=N: from patch N);"
	@echo "                  debian-nosysctl builds every patch of both mail sets (the port, then the opt-in)"
	@echo "make kunit        kunit.py run --kunitconfig=kernel/unshare.kunitconfig (x86_64, /dev/kvm masked)"
	@echo "make kunitconfig  kunit.py config only: the kunitconfig keeps every option (part of make check)"
	@echo "make export       write the commits of the tree to patches/ and the overlay"
	@echo "make mail         write the two mail sets from patches/ and mail/*.txt: $(B)/mail/port and $(B)/mail/opt-in"
	@echo "Options: KERNEL_SRC=<tree> CMDLINE=<kernel args> B=<build folder>"
	@echo "         BASE=debian|debian-nosysctl|vanilla (the base the series is applied to; x86_64)"

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
	@test -f $(KSRC)/rust/kernel/unshare.rs || \
		{ echo "error: KERNEL_SRC=$(KERNEL_SRC) lacks rust/kernel/unshare.rs: apply patches/ with git am first"; exit 1; }
endif

verify-series: tree
ifeq ($(OWN_TREE)$(BASE),1debian)
	@workbench/verify-overlay.sh $(KSRC)
	@workbench/mail.sh --check $(KSRC)
endif

# --- the kernel ---------------------------------------------------------------
# tinyconfig + FRAGMENTS, redone when a fragment or the list changes.
config: tree
	@workbench/check-tools.sh
	@FRAGMENTS="$(FRAGMENTS)" workbench/kernel-arch.sh --config $(KSRC) $(OBJ)

kernel: config
	@echo "kernel: building $(BZIMAGE) (log: $(OBJ)/build.log)"
	@FRAGMENTS="$(FRAGMENTS)" JOBS=$(JOBS) workbench/kernel-arch.sh $(KSRC) $(OBJ) >/dev/null

kernel-path:
	@test -f $(BZIMAGE) || { echo "error: $(BZIMAGE) is not built: run make kernel" >&2; exit 1; }
	@echo $(BZIMAGE)

# KUnit the usual way: kunit.py run --kunitconfig=kernel/unshare.kunitconfig --arch=x86_64, in
# its own build folder, with /dev/kvm masked (workbench/kunit.sh).
kunit: x86-only tree
	@env $(KMAKE_ENV) workbench/kunit.sh $(KSRC) $(BASE_DIR)/kunit-x86_64
# The part of make check: kunit.py config only (the kunitconfig keeps every option on kunit.py's
# defaults); the suite runs at boot in the other parts.
kunitconfig: x86-only tree
	@env $(KMAKE_ENV) KUNIT_MODE=config workbench/kunit.sh $(KSRC) $(BASE_DIR)/kunitconfig-x86_64

# --- the guest ----------------------------------------------------------------
selftests: tree
	@tests/selftests/build.sh $(KSRC) $(GB)/selftests
	@tests/unshare-selftest/build.sh $(KSRC) $(GB)/unshare-selftest $(KSRC)/tools/testing/selftests/unshare
ifeq ($(ARCH),x86_64)
	@ARCH=i386 tests/unshare-selftest/build.sh $(KSRC) $(GB)/unshare-selftest-ia32 \
		$(KSRC)/tools/testing/selftests/unshare
endif

demo: kernel
	@tests/demo/run.sh $(BZIMAGE)

shell: kernel
	@tests/demo/shell.sh $(BZIMAGE)

# Every part in turn, the counts added up; the times go to $(B)/check.times, the table of the
# latest result of each part to $(B)/results/check.md.
check:
	@MAKE="$(MAKE)" workbench/check-parts.sh $(CHECK_PARTS)

# The part figures of make check: README.md, docs/*.md, tests/**/*.md and mail/*.txt quote no
# run figure that docs/results/ does not hold (workbench/check-figures.py; seconds, no kernel).
.PHONY: check-figures results
check-figures:
	@python3 workbench/check-figures.py

# The latest results that the runs wrote under $(B), copied to docs/results/ (workbench/results.sh).
results:
	@workbench/results.sh

# One architecture: KUnit, the in-tree selftests and ours, under both implementations. The tests
# of tests/selftests/x86_64-only run in the x86_64 part on the Debian base only (ONLY_X86_64=
# runs them here too).
ONLY_X86_64_LIST := $(shell sed -e 's/\#.*//' -e '/^[[:space:]]*$$/d' tests/selftests/x86_64-only | paste -sd, -)
ONLY_X86_64 ?= $(if $(and $(filter x86_64,$(ARCH)),$(filter debian,$(BASE))),,$(ONLY_X86_64_LIST))
check-arch: verify-series kernel selftests
	@$(if $(ONLY_X86_64),echo "check: left out here (tests/selftests/x86_64-only; ONLY_X86_64= runs them): $(ONLY_X86_64)")
	@B=$(GB) KSRC=$(KSRC) CMDLINE="$(if $(ONLY_X86_64),ksft_skip=$(ONLY_X86_64)) $(CMDLINE)" \
		workbench/check.sh $(BZIMAGE)

# The unmodified base, for the baseline of tests/selftests/expectations.txt.
BASE_TREE := $(B)/linux-base
BASE_OBJ := $(B)/obj-base-$(ARCH)
check-base: x86-only debian-only tree selftests
	@test -d $(BASE_TREE) || git -C $(B)/linux worktree add -q --detach $(BASE_TREE) base
	@workbench/kconfig.sh $(BASE_TREE) $(BASE_OBJ) configs/$(ARCH).config
	@echo "kernel: building the base $(BASE_OBJ) (log: $(BASE_OBJ)/build.log)"
	@$(KMAKE) -C $(BASE_TREE) O=$(BASE_OBJ) -j$(JOBS) bzImage >$(BASE_OBJ)/build.log 2>&1 || \
		{ echo "error: the base kernel build failed; see $(BASE_OBJ)/build.log"; exit 1; }
	@IMPLS=base workbench/check.sh $(BASE_OBJ)/arch/x86/boot/bzImage

# Every patch of the series builds on its own, without warnings (clippy included): on each base
# of EACH_BASES (the Debian base with the whole series, debian-nosysctl without its last patch:
# every patch of both mail sets, the port and the opt-in on top of it), or on BASE when it is given.
EACH_BASES ?= $(if $(filter command line environment,$(origin BASE)),$(BASE),debian debian-nosysctl)
build-each-patch: x86-only
	@for base in $(EACH_BASES); do \
		echo "build-each-patch: base $$base"; \
		$(MAKE) --no-print-directory build-each-patch-base BASE=$$base || exit 1; \
	done
build-each-patch-base: x86-only tree
	@JOBS=$(JOBS) workbench/build-each-patch.sh $(KSRC)

matrix: x86-only tree selftests
	@workbench/matrix.sh $(KSRC) $(MATRIX)

# Rust against C, side by side in one run (icount: deterministic guest instruction counts).
bench: x86-only kernel
	@tests/bench/run.sh $(BZIMAGE) $(B)/bench

# The bench on clang-22 kernels of the same configuration (LLVM=-22: the LLVM of rustc-web), without
# and with CONFIG_RUST_INLINE_HELPERS (the C helpers inlined into the Rust code as LLVM bitcode),
# beside the GCC kernel of make bench: $(B)/bench-kernels.md (tests/bench/compare_kernels.py).
CLANG_OBJ := $(B)/obj-clang
CLANG_INLINE_OBJ := $(B)/obj-clang-inline
CLANG_INLINE_FRAGMENTS := $(FRAGMENTS) configs/rust-inline-helpers.config
.PHONY: kernel-clang check-clang bench-clang
$(CLANG_OBJ)/.config: $(FRAGMENTS) | x86-only tree
	@$(call clang_config,$(CLANG_OBJ),$(FRAGMENTS))
$(CLANG_INLINE_OBJ)/.config: $(CLANG_INLINE_FRAGMENTS) | x86-only tree
	@$(call clang_config,$(CLANG_INLINE_OBJ),$(CLANG_INLINE_FRAGMENTS))
kernel-clang: x86-only debian-only tree $(CLANG_OBJ)/.config $(CLANG_INLINE_OBJ)/.config
	@$(call clang_build,$(CLANG_OBJ),clang)
	@$(call clang_build,$(CLANG_INLINE_OBJ),clang RUST_INLINE_HELPERS)
# The suites of make check ARCH=x86_64 on the clang kernel (without inline helpers), C against Rust.
check-clang: kernel-clang selftests
	@CHECK_OUT=$(B)/check-clang workbench/check.sh $(CLANG_OBJ)/$(KIMAGE)
bench-clang: kernel-clang kernel
	@tests/bench/run.sh $(BZIMAGE) $(B)/bench
	@tests/bench/run.sh $(CLANG_OBJ)/$(KIMAGE) $(B)/bench-clang
	@tests/bench/run.sh $(CLANG_INLINE_OBJ)/$(KIMAGE) $(B)/bench-clang-inline
	@python3 tests/bench/compare_kernels.py --md $(B)/bench-kernels.md GCC=$(B)/bench \
		clang=$(B)/bench-clang clang+inline=$(B)/bench-clang-inline

# Where the Rust implementation spends instructions that C does not, call by call (gdb).
bench-trace: x86-only kernel
	@tests/bench/trace.sh $(BZIMAGE) $(B)/bench/trace

# The debug kernel and the reliability run (fault injection, differential fuzzer, soak).
include tests/reliability/reliability.mk
include tests/coverage/coverage.mk

# --- the series -----------------------------------------------------------------
export: debian-only
	@workbench/export.sh $(KSRC)

# The two mail sets, from patches/ and the cover letters mail/port.txt, mail/opt-in.txt (whose
# First-patch: line is the boundary), onto the base of $(B)/linux: the port, then the opt-in on
# top of it; Debian's last patch in neither (workbench/mail.sh; verify-series checks them).
mail:
	@workbench/mail.sh $(B)/linux

reset-tree:
	@rm -f $(BASE_DIR)/stamps/series
	@git -C $(KSRC) checkout -q -f series 2>/dev/null || true
	@git -C $(KSRC) reset -q --hard base
	@workbench/apply-series.sh

clean:
	rm -rf $(OBJ) $(GB)/selftests $(GB)/unshare-selftest $(GB)/unshare-selftest-ia32 $(GB)/check
