# SPDX-License-Identifier: GPL-2.0
# The coverage kernel and report (tests/coverage), for the top-level Makefile:
# `include tests/coverage/coverage.mk` after its FRAGMENTS, KSRC, KMAKE, B and JOBS. Targets:
#   make kernel-coverage  build $(B)/obj-coverage: configs/coverage.config on top of FRAGMENTS
#   make coverage         boot it once per implementation, run the suites with KCOV collected
#                         around every unshare(2) call, and write docs/results/coverage.md
#   make check-coverage   the committed report still describes the series (hash of its sources)

COV_OBJ := $(B)/obj-coverage
COV_BZIMAGE := $(COV_OBJ)/arch/x86/boot/bzImage
COV_FRAGMENTS := $(FRAGMENTS) configs/coverage.config
# LLVM's sancov leaves out a block whose run another block's implies (prune-blocks); GCC's
# trace-pc instruments every block. Every block on both sides: a `?` gets the block of its
# error branch, which the report needs to tell it taken.
COV_RUSTFLAGS := -Cllvm-args=-sanitizer-coverage-prune-blocks=0

.PHONY: kernel-coverage coverage check-coverage

$(COV_OBJ)/.config: $(COV_FRAGMENTS) | x86-only tree
	@workbench/kconfig.sh $(KSRC) $(COV_OBJ) $(COV_FRAGMENTS)

kernel-coverage: x86-only debian-only tree $(COV_OBJ)/.config
	@workbench/check-tools.sh
	@echo "kernel: building the coverage kernel $(COV_BZIMAGE) (log: $(COV_OBJ)/build.log)"
	@$(KMAKE) -C $(KSRC) O=$(COV_OBJ) -j$(JOBS) KRUSTFLAGS="$(COV_RUSTFLAGS)" bzImage \
		>$(COV_OBJ)/build.log 2>&1 || \
		{ grep -m5 -E 'error|Error' $(COV_OBJ)/build.log; \
		  echo "error: the coverage kernel build failed; see $(COV_OBJ)/build.log"; exit 1; }

COV_OUT := $(B)/coverage
COV_REPORT := docs/results/coverage.md

# The runs and the report: build/coverage/coverage.md, copied to docs/results/ (the committed
# copy that the README quotes; make results leaves it alone).
coverage: kernel-coverage
	@tests/coverage/run.sh $(KSRC) $(COV_OBJ) $(COV_OUT) $(COV_OUT)/coverage.md
	@cp $(COV_OUT)/coverage.md $(COV_REPORT)
	@echo "coverage: $(COV_REPORT) updated"

# A part of make check (seconds): the committed report describes the tree's sources.
check-coverage: tree
	@python3 tests/coverage/report.py --src $(KSRC) --check $(COV_REPORT) && \
		echo "1 passed, 0 failed" || { echo "0 passed, 1 failed"; exit 1; }
