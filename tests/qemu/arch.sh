# SPDX-License-Identifier: GPL-2.0
# Per-architecture settings of the kernel build and the QEMU test guest. Sourced (bash) by
# tests/qemu/boot.sh, tests/qemu/mkinitramfs.sh and workbench/kernel-arch.sh;
# ARCH selects the architecture (x86_64 when unset; i386 for the 32-bit programs that test
# x86_64's compat entry); for a foreign one, CROSS_DIR (default
# $B/cross/<arch>) is where workbench/cross-debs.sh put its busybox and libcap sysroot.
#
# It sets:
#   KARCH          the kernel's ARCH= (x86_64, arm64, riscv)
#   KMAKE_ARCH     further kernel make arguments: the cross compiler (CROSS_COMPILE=... or LLVM=...)
#   KIMAGE_TARGET  the make target of the boot image; KIMAGE its path under the build folder O=
#   TARGET_CC      the C compiler of the guest's programs (static glibc), as a word list
#   TARGET_LIBFLAGS its flags for the libraries the selftests link (libcap: $CROSS_DIR/sysroot)
#   CROSS_COMPILE  the binutils/gcc prefix of the guest's programs ("" for the host)
#   FILE_MACHINE   what file(1) says of a binary of the architecture
#   BUSYBOX        the static busybox of the guest
#   QEMU           the QEMU binary; QEMU_MACHINE its machine options (array)
#   QEMU_EXIT      the QEMU options of the qemu-exit device (array) and QEMU_EXIT_SRC its program
#   CONSOLE        the kernel's serial console; CMDLINE_ARCH more kernel arguments of ARCH
#   SMP_DEFAULT    the guest's CPUs when SMP is not set
#   PARALLEL_BOOTS 1 when make check may boot both implementations at once: when the guest has one
#                  CPU, so that on a 2-core host each guest keeps a core (unless set already)
#   ARCH_PACKAGES  the Debian packages all this needs (see workbench/cross-packages.txt)
# shellcheck shell=bash disable=SC2034

arch_settings() {
	local here
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	ARCH=${ARCH:-x86_64}
	case $ARCH in
	x86_64)
		KARCH=x86_64
		KMAKE_ARCH=()
		KIMAGE_TARGET=bzImage
		KIMAGE=arch/x86/boot/bzImage
		CROSS_COMPILE=
		TARGET_CC=(gcc)
		TARGET_LIBFLAGS=()
		FILE_MACHINE=x86-64
		BUSYBOX=${BUSYBOX:-/bin/busybox}
		QEMU=${QEMU:-qemu-system-x86_64}
		QEMU_MACHINE=()
		QEMU_EXIT=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)
		QEMU_EXIT_SRC=$here/qemu-exit.c
		CONSOLE=ttyS0
		CMDLINE_ARCH=
		SMP_DEFAULT=1
		ARCH_PACKAGES="gcc libc6-dev busybox-static qemu-system-x86"
		;;
	arm64 | aarch64)
		ARCH=arm64
		KARCH=arm64
		KMAKE_ARCH=(CROSS_COMPILE=aarch64-linux-gnu-)
		KIMAGE_TARGET=Image
		KIMAGE=arch/arm64/boot/Image
		CROSS_COMPILE=aarch64-linux-gnu-
		TARGET_CC=(aarch64-linux-gnu-gcc)
		CROSS_DIR=${CROSS_DIR:-${B:?B or CROSS_DIR must be set}/cross/arm64}
		TARGET_LIBFLAGS=(-isystem "$CROSS_DIR/sysroot/usr/include"
			-L "$CROSS_DIR/sysroot/usr/lib/aarch64-linux-gnu")
		FILE_MACHINE=aarch64
		BUSYBOX=${BUSYBOX:-$CROSS_DIR/busybox}
		QEMU=${QEMU:-qemu-system-aarch64}
		# pauth-impdef: QEMU's own pointer-authentication hash instead of QARMA, which is
		# slow under TCG; the architecture seen by the guest is unchanged.
		QEMU_MACHINE=(-M virt -cpu "${QEMU_CPU:-max,pauth-impdef=on}")
		QEMU_EXIT=(-semihosting-config enable=on,target=native,userspace=on)
		QEMU_EXIT_SRC=$here/qemu-exit.c
		CONSOLE=ttyAMA0
		# earlycon: the UART of the devicetree's stdout-path from the first message on, so
		# that a panic before the console driver's probe is in the log.
		CMDLINE_ARCH=earlycon
		# Two CPUs, as for riscv64: the race tests of unshare(2) run on two CPUs of a weakly
		# ordered architecture, and on one, proc/proc-maps-race (test_maps_tearing_from_remap;
		# make check runs it on x86_64 only) can livelock the guest (seen under
		# unshare.impl=c with the host's cores busy).
		SMP_DEFAULT=2
		ARCH_PACKAGES="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm"
		;;
	riscv64 | riscv)
		ARCH=riscv64
		KARCH=riscv
		# arch/riscv/Kconfig: HAVE_RUST only with CC_IS_CLANG, so the kernel is built with LLVM
		# (the kernel wants LLVM >= 17; Debian 12 has clang-19 and clang-22). With clang as CC,
		# bindgen gets clang's own flags, so its libclang must be that clang's version: Debian's
		# libclang1-19 (clang-22 would need bindgen >= 0.72.1, rust-bindgen PR 3278; the pinned
		# bindgen is 0.71.1, and the PyPI libclang 18 rejects clang 19's flags).
		KMAKE_ARCH=(LLVM=-19 LIBCLANG_PATH=/usr/lib/llvm-19/lib)
		KIMAGE_TARGET=Image
		KIMAGE=arch/riscv/boot/Image
		CROSS_COMPILE=riscv64-linux-gnu-
		TARGET_CC=(riscv64-linux-gnu-gcc)
		CROSS_DIR=${CROSS_DIR:-${B:?B or CROSS_DIR must be set}/cross/riscv64}
		TARGET_LIBFLAGS=(-isystem "$CROSS_DIR/sysroot/usr/include"
			-L "$CROSS_DIR/sysroot/usr/lib/riscv64-linux-gnu")
		FILE_MACHINE=RISC-V
		BUSYBOX=${BUSYBOX:-$CROSS_DIR/busybox}
		QEMU=${QEMU:-qemu-system-riscv64}
		# -bios default: the OpenSBI that QEMU ships (qemu-system-data).
		QEMU_MACHINE=(-M virt -bios default)
		QEMU_EXIT=(-semihosting-config enable=on,target=native,userspace=on)
		QEMU_EXIT_SRC=$here/qemu-exit.c
		CONSOLE=ttyS0
		CMDLINE_ARCH=earlycon
		# Two CPUs: the race tests of unshare(2) run on two CPUs of a weakly ordered
		# architecture, and on one, proc/proc-maps-race (test_maps_tearing_from_remap; make
		# check runs it on x86_64 only, ONLY_X86_64= here too) livelocks the
		# guest: the /proc/PID/maps reader spins in lock_next_vma -> mas_find and the writer
		# never runs again (seen with unshare.impl=c, so not the series); with 2 it passes.
		SMP_DEFAULT=2
		ARCH_PACKAGES="gcc-riscv64-linux-gnu libc6-dev-riscv64-cross clang-19 lld-19 llvm-19 libclang1-19 qemu-system-misc"
		;;
	i386)
		# Only the guest's programs: 32-bit x86 binaries that run on the x86_64 kernel through
		# its compat entry (CONFIG_IA32_EMULATION). gcc -m32 with lib32gcc-12-dev and
		# libc6-dev-i386 (gcc-multilib would conflict with the cross compilers); the UAPI
		# headers are the kernel's (headers_install ARCH=i386), as for every ARCH.
		KARCH=i386
		KMAKE_ARCH=()
		KIMAGE_TARGET=
		KIMAGE=
		CROSS_COMPILE=
		TARGET_CC=(gcc -m32)
		TARGET_LIBFLAGS=()
		FILE_MACHINE="Intel 80386"
		ARCH_PACKAGES="lib32gcc-12-dev libc6-dev-i386"
		;;
	*)
		echo "arch.sh: unknown ARCH=$ARCH; pass x86_64, arm64 or riscv64 (i386: 32-bit guest programs)" >&2
		return 2
		;;
	esac
	if [ -z "${PARALLEL_BOOTS:-}" ]; then
		PARALLEL_BOOTS=0
		if [ "${SMP:-${SMP_DEFAULT:-1}}" = 1 ]; then PARALLEL_BOOTS=1; fi
	fi
}
arch_settings
