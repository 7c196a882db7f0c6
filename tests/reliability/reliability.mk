# SPDX-License-Identifier: GPL-2.0
# The debug kernel and the reliability run (tests/reliability/run.sh), for the top-level
# Makefile: `include tests/reliability/reliability.mk` after its FRAGMENTS, KSRC, KMAKE, B and
# JOBS. Targets:
#   make kernel-debug       build $(B)/obj-debug with configs/debug.config on top of FRAGMENTS
#   make reliability        fail-nth sweep + 100,000 fuzz cases + 30-minute soak, C against Rust
#   make reliability-small  the same with the small size (about 8 minutes in all once the
#                           debug kernel is built; the last part of make check)
#   make reliability-rounds the fail-nth sweep FAILNTH_ROUNDS (10) times per boot, every round
#                           against every other (no difference may come from timing)
#   make reliability-mutants  the fail-nth sweep on debug kernels with a mutant of
#                           rust/kernel/unshare.rs each (tests/reliability/mutants/): each caught
#   make check-debug        every suite of make check (KUnit, the in-tree selftests, ours) on
#                           the debug kernel, C against Rust; a splat or a leak in the last
#                           kmemleak scan fails the boot (tests/qemu/boot.sh, tests/qemu/init)
# Options: SEED=<n|random> FUZZ_CASES=<n> SOAK_SECONDS=<n> (see tests/reliability/run.sh).

DEBUG_OBJ := $(B)/obj-debug
DEBUG_BZIMAGE := $(DEBUG_OBJ)/arch/x86/boot/bzImage
DEBUG_FRAGMENTS := $(FRAGMENTS) configs/debug.config

.PHONY: kernel-debug reliability reliability-small reliability-rounds reliability-mutants check-debug

$(DEBUG_OBJ)/.config: $(DEBUG_FRAGMENTS) | x86-only tree
	@workbench/kconfig.sh $(KSRC) $(DEBUG_OBJ) $(DEBUG_FRAGMENTS)

kernel-debug: x86-only debian-only tree $(DEBUG_OBJ)/.config
	@workbench/check-tools.sh
	@echo "kernel: building the debug kernel $(DEBUG_BZIMAGE) (log: $(DEBUG_OBJ)/build.log)"
	@$(KMAKE) -C $(KSRC) O=$(DEBUG_OBJ) -j$(JOBS) bzImage >$(DEBUG_OBJ)/build.log 2>&1 || \
		{ grep -m5 -E 'error|Error' $(DEBUG_OBJ)/build.log; \
		  echo "error: the debug kernel build failed; see $(DEBUG_OBJ)/build.log"; exit 1; }

reliability: kernel-debug selftests
	@tests/reliability/run.sh $(DEBUG_BZIMAGE) $(B)/reliability large

# The two boots side by side (PARALLEL=1), two vCPUs each for the soak: the sweep and the
# fuzzer run on one vCPU, the soak for a fixed time.
reliability-small: kernel-debug selftests
	@PARALLEL=$${PARALLEL:-1} tests/reliability/run.sh $(DEBUG_BZIMAGE) $(B)/reliability-small small

# The sweep FAILNTH_ROUNDS times in a row in one boot per implementation, every round judged
# against every other, C against Rust and each implementation against itself
# (tests/reliability/rounds.py): the comparison must find no difference that timing made.
FAILNTH_ROUNDS ?= 10
reliability-rounds: kernel-debug selftests
	@FAILNTH_ROUNDS=$(FAILNTH_ROUNDS) PARTS=failnth tests/reliability/run.sh $(DEBUG_BZIMAGE) \
		$(B)/reliability-rounds small

# The sweep's power: each tests/reliability/mutants/*.patch (a phase moved, a failed call that
# leaves the task changed) built into the debug kernel must make the comparison fail, naming the
# phase (tests/reliability/mutants.sh; about 5 minutes a mutant once the debug kernel is built).
reliability-mutants: kernel-debug selftests
	@JOBS=$(JOBS) tests/reliability/mutants.sh $(KSRC) $(DEBUG_OBJ) $(B)/reliability-mutants

# The debug kernel forks several times slower: pidfd_test's 32,768 forks and pidfd_poll_test's
# 10,000 rounds need more than their timeouts on the regular kernel.
DEBUG_TIMEOUT_SCALE ?= 4
# The suites of make check on a slower kernel: check_slow_kernel OUTPUT-FOLDER BZIMAGE[,SKIP]
# (SKIP: the tests left out, ksft_skip= globs; the others' plan and expectations stand).
check_slow_kernel = CHECK_OUT=$(B)/$(1) TIMEOUT=$${TIMEOUT:-3600} \
	CMDLINE="ksft_timeout_scale=$(DEBUG_TIMEOUT_SCALE)$(if $(3), ksft_skip=$(3)) $(CMDLINE)" \
	workbench/check.sh $(2)
# make check's debug part leaves out the tests of tests/selftests/x86_64-only (the x86_64 part
# runs them under both implementations: pidfd_test's 32,768 forks and pidfd_poll_test's 10,000
# rounds took about 520 s and 176 s of a 950 s debug boot; pidfd_info_test and proc-maps-race
# 30 s each; none calls unshare(2) beyond what the other suites do many times over).
# namespaces:stress_test too: its namespace_churn can outrun the harness's fixed 30 s on the
# debug kernel (both implementations alike); its subset namespaces:stress_test/no-churn
# (tests/selftests/subsets) still runs the other six sub-tests here. And our selftest built for
# i386 (unshare-ia32:*, 180 s a boot): past the compat entry it runs the same kernel code as the
# 64-bit one, which runs here; the x86_64 parts run both under both implementations.
# pid_namespace:pid_max too: its nested sub-test (clone() in 32 nested PID namespaces, never
# unshare(2)) can outrun the harness's fixed 30 s on the debug kernel of a busy host (both
# implementations alike, 2026-12-07); its subset pid_namespace:pid_max/no-nested still runs the
# other two sub-tests here.
# DEBUG_SKIP= runs everything.
DEBUG_SKIP ?= $(ONLY_X86_64_LIST),namespaces:stress_test,pid_namespace:pid_max,unshare-ia32:*
check-debug: kernel-debug selftests
	@$(if $(DEBUG_SKIP),echo "check-debug: left out on the debug kernel (DEBUG_SKIP=): $(DEBUG_SKIP)")
	@$(call check_slow_kernel,check-debug,$(DEBUG_BZIMAGE),$(DEBUG_SKIP))

# Kernels built with clang 22 (LLVM=-22, whose LLVM is the one of rustc-web 1.96) and bindgen on
# libclang 22: the KASAN and KCSAN kernels here, the clang bench kernels (make bench-clang).
#   $(call clang_config,OBJ,FRAGMENTS)   OBJ/.config (a recipe line)
#   $(call clang_build,OBJ,WHAT)         OBJ/arch/x86/boot/bzImage (a recipe line)
BINDGEN_LLVM22_VERSION := $(shell . workbench/base.env && echo $$BINDGEN_LLVM22_VERSION)
BINDGEN_LLVM22 := $(HOME)/.local/bindgen-$(BINDGEN_LLVM22_VERSION)/bin/bindgen
CLANG_LLVM := LLVM=-22 LIBCLANG_PATH=/usr/lib/llvm-22/lib BINDGEN=$(BINDGEN_LLVM22)
clang_config = { command -v clang-22 >/dev/null && command -v ld.lld-22 >/dev/null || \
		{ echo "error: clang-22 and lld-22 are missing: run make setup (Debian 12's security suite has them)"; exit 1; }; } && \
	{ test -x $(BINDGEN_LLVM22) || \
		{ echo "error: bindgen $(BINDGEN_LLVM22_VERSION) (for libclang 22) is missing: run make setup"; exit 1; }; } && \
	KMAKE="$(KMAKE) $(CLANG_LLVM)" workbench/kconfig.sh $(KSRC) $(1) $(2)
clang_build = echo "kernel: building the $(2) kernel $(1)/arch/x86/boot/bzImage with clang 22 (log: $(1)/build.log)" && \
	{ $(KMAKE) $(CLANG_LLVM) -C $(KSRC) O=$(1) -j$(JOBS) bzImage >$(1)/build.log 2>&1 || \
		{ grep -m5 -E 'error|Error' $(1)/build.log; \
		  echo "error: the $(2) kernel build failed; see $(1)/build.log"; exit 1; }; }

# The KASAN kernel: the debug kernel's configuration plus configs/kasan.config, with clang 22.
# Targets:
#   make kernel-kasan              build $(B)/obj-kasan
#   make check-kasan               every suite of make check on it, C against Rust
#   make reliability-kasan-small   the short fail-nth sweep, fuzzer and soak on it
KASAN_OBJ := $(B)/obj-kasan
KASAN_BZIMAGE := $(KASAN_OBJ)/arch/x86/boot/bzImage
KASAN_FRAGMENTS := $(DEBUG_FRAGMENTS) configs/kasan.config

.PHONY: kernel-kasan check-kasan reliability-kasan-small

$(KASAN_OBJ)/.config: $(KASAN_FRAGMENTS) | x86-only tree
	@$(call clang_config,$(KASAN_OBJ),$(KASAN_FRAGMENTS))

kernel-kasan: x86-only debian-only tree $(KASAN_OBJ)/.config
	@$(call clang_build,$(KASAN_OBJ),KASAN)

# Two vCPUs per guest, one guest at a time: side by side with one vCPU each, pid_namespace:pid_max's
# nested sub-test (hundreds of forks) needs about the kselftest harness's fixed 30 s on this
# kernel and timed out under one implementation or the other.
check-kasan: kernel-kasan selftests
	@SMP=$${SMP:-2} PARALLEL_BOOTS=$${PARALLEL_BOOTS:-0} $(call check_slow_kernel,check-kasan,$(KASAN_BZIMAGE))

reliability-kasan-small: kernel-kasan selftests
	@tests/reliability/run.sh $(KASAN_BZIMAGE) $(B)/reliability-kasan-small small

# The KCSAN kernel: tinyconfig + FRAGMENTS + configs/kcsan.config, with clang 22. Targets:
#   make kernel-kcsan   build $(B)/obj-kcsan
#   make kcsan          the soak of tests/reliability (unshare_stress_test, the concurrent test
#                       of Documentation/userspace-api/unshare.rst 8.4, in a loop with the fuzzer
#                       beside it) for KCSAN_SOAK_SECONDS under each implementation, SMP=2;
#                       KCSAN's reports are collected, not failed on, and
#                       tests/reliability/kcsan_report.py lists them, marking those whose stacks
#                       touch the unshare paths ($(B)/kcsan/kcsan.md)
KCSAN_OBJ := $(B)/obj-kcsan
KCSAN_BZIMAGE := $(KCSAN_OBJ)/arch/x86/boot/bzImage
KCSAN_FRAGMENTS := $(FRAGMENTS) configs/kcsan.config
KCSAN_SOAK_SECONDS ?= 300

.PHONY: kernel-kcsan kcsan

$(KCSAN_OBJ)/.config: $(KCSAN_FRAGMENTS) | x86-only tree
	@$(call clang_config,$(KCSAN_OBJ),$(KCSAN_FRAGMENTS))

kernel-kcsan: x86-only debian-only tree $(KCSAN_OBJ)/.config
	@$(call clang_build,$(KCSAN_OBJ),KCSAN)

kcsan: kernel-kcsan selftests
	@rc=0; SPLAT_EXCEPT='BUG: KCSAN: ' PARTS=soak KMEMLEAK=0 SOAK_SECONDS=$(KCSAN_SOAK_SECONDS) \
		SLAB_DEBUG= tests/reliability/run.sh $(KCSAN_BZIMAGE) $(B)/kcsan small || rc=1; \
	python3 tests/reliability/kcsan_report.py --obj $(KCSAN_OBJ) --log c=$(B)/kcsan/serial-c.log \
		--log rust=$(B)/kcsan/serial-rust.log --md $(B)/kcsan/kcsan.md || rc=1; \
	exit $$rc
