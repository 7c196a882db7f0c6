# The debug kernel and the reliability run (tests/reliability/run.sh), for the top-level
# Makefile: `include tests/reliability/reliability.mk` after its FRAGMENTS, KSRC, KMAKE, B and
# JOBS. Targets:
#   make kernel-debug       build $(B)/obj-debug with configs/debug.config on top of FRAGMENTS
#   make reliability        fail-nth sweep + 100,000 fuzz cases + 30-minute soak, C against Rust
#   make reliability-small  the same with the small size (about 3 minutes in all once the
#                           debug kernel is built; the last part of make check)
#   make check-debug        every suite of make check (KUnit, the in-tree selftests, ours) on
#                           the debug kernel, C against Rust; a splat or a leak in the last
#                           kmemleak scan fails the boot (tests/qemu/boot.sh, tests/qemu/init)
# Options: SEED=<n|random> FUZZ_CASES=<n> SOAK_SECONDS=<n> (see tests/reliability/run.sh).

DEBUG_OBJ := $(B)/obj-debug
DEBUG_BZIMAGE := $(DEBUG_OBJ)/arch/x86/boot/bzImage
DEBUG_FRAGMENTS := $(FRAGMENTS) configs/debug.config

.PHONY: kernel-debug reliability reliability-small check-debug

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

reliability-small: kernel-debug selftests
	@tests/reliability/run.sh $(DEBUG_BZIMAGE) $(B)/reliability-small small

# The debug kernel forks several times slower: pidfd_test's 32,768 forks and pidfd_poll_test's
# 10,000 rounds need more than their timeouts on the regular kernel.
DEBUG_TIMEOUT_SCALE ?= 4
# The suites of make check on a slower kernel: check_slow_kernel OUTPUT-FOLDER BZIMAGE.
check_slow_kernel = CHECK_OUT=$(B)/$(1) TIMEOUT=$${TIMEOUT:-3600} \
	CMDLINE="ksft_timeout_scale=$(DEBUG_TIMEOUT_SCALE) $(CMDLINE)" workbench/check.sh $(2)
check-debug: kernel-debug selftests
	@$(call check_slow_kernel,check-debug,$(DEBUG_BZIMAGE))

# The KASAN kernel: the debug kernel's configuration plus configs/kasan.config, built with clang
# 22 (LLVM=-22, the LLVM of rustc-web 1.96) and bindgen on libclang 22. Targets:
#   make kernel-kasan              build $(B)/obj-kasan
#   make check-kasan               every suite of make check on it, C against Rust
#   make reliability-kasan-small   the short fail-nth sweep, fuzzer and soak on it
KASAN_OBJ := $(B)/obj-kasan
KASAN_BZIMAGE := $(KASAN_OBJ)/arch/x86/boot/bzImage
KASAN_FRAGMENTS := $(DEBUG_FRAGMENTS) configs/kasan.config
BINDGEN_LLVM22_VERSION := $(shell . workbench/base.env && echo $$BINDGEN_LLVM22_VERSION)
BINDGEN_LLVM22 := $(HOME)/.local/bindgen-$(BINDGEN_LLVM22_VERSION)/bin/bindgen
KASAN_LLVM := LLVM=-22 LIBCLANG_PATH=/usr/lib/llvm-22/lib BINDGEN=$(BINDGEN_LLVM22)

.PHONY: kernel-kasan check-kasan reliability-kasan-small

$(KASAN_OBJ)/.config: $(KASAN_FRAGMENTS) | x86-only tree
	@command -v clang-22 >/dev/null && command -v ld.lld-22 >/dev/null || \
		{ echo "error: clang-22 and lld-22 are missing: run make setup (Debian 12's security suite has them)"; exit 1; }
	@test -x $(BINDGEN_LLVM22) || \
		{ echo "error: bindgen $(BINDGEN_LLVM22_VERSION) (for libclang 22) is missing: run make setup"; exit 1; }
	@KMAKE="$(KMAKE) $(KASAN_LLVM)" workbench/kconfig.sh $(KSRC) $(KASAN_OBJ) $(KASAN_FRAGMENTS)

kernel-kasan: x86-only debian-only tree $(KASAN_OBJ)/.config
	@echo "kernel: building the KASAN kernel $(KASAN_BZIMAGE) with clang 22 (log: $(KASAN_OBJ)/build.log)"
	@$(KMAKE) $(KASAN_LLVM) -C $(KSRC) O=$(KASAN_OBJ) -j$(JOBS) bzImage >$(KASAN_OBJ)/build.log 2>&1 || \
		{ grep -m5 -E 'error|Error' $(KASAN_OBJ)/build.log; \
		  echo "error: the KASAN kernel build failed; see $(KASAN_OBJ)/build.log"; exit 1; }

check-kasan: kernel-kasan selftests
	@$(call check_slow_kernel,check-kasan,$(KASAN_BZIMAGE))

reliability-kasan-small: kernel-kasan selftests
	@tests/reliability/run.sh $(KASAN_BZIMAGE) $(B)/reliability-kasan-small small
