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

kernel-debug: x86-only tree $(DEBUG_OBJ)/.config
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
check-debug: kernel-debug selftests
	@CHECK_OUT=$(B)/check-debug TIMEOUT=$${TIMEOUT:-3600} \
		CMDLINE="ksft_timeout_scale=$(DEBUG_TIMEOUT_SCALE) $(CMDLINE)" workbench/check.sh $(DEBUG_BZIMAGE)
