// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-exit CODE - make QEMU exit with status (CODE << 1) | 1.
 *
 * x86_64: writes CODE (0..255) to QEMU's isa-debug-exit device, which boot.sh
 * configures with "-device isa-debug-exit,iobase=0xf4,iosize=0x04"; needs
 * CONFIG_X86_IOPL_IOPERM and root.
 *
 * arm64, riscv64 (no I/O ports): the Arm semihosting call SYS_EXIT (0x18) with
 * { ADP_Stopped_ApplicationExit, (CODE << 1) | 1 }, which QEMU turns into
 * exit(status), so boot scripts read the status as with isa-debug-exit: 1 for
 * success, 3 for failure, never 0 (a plain power-off with -no-reboot). QEMU
 * must run with -semihosting-config enable=on,target=native,userspace=on;
 * without it the trap kills this program and the guest's init falls back to
 * reboot -f.
 *
 * Build: <ARCH's gcc> -static -O2 -o qemu-exit qemu-exit.c
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>

#define DEBUG_EXIT_PORT 0xf4

static void qemu_exit(long code)
{
	if (ioperm(DEBUG_EXIT_PORT, 1, 1)) {
		fprintf(stderr, "qemu-exit: ioperm(0x%x) failed: %s; needs root and CONFIG_X86_IOPL_IOPERM\n",
			DEBUG_EXIT_PORT, strerror(errno));
		return;
	}
	outb((unsigned char)code, DEBUG_EXIT_PORT);
	fprintf(stderr, "qemu-exit: QEMU did not exit; is -device isa-debug-exit,iobase=0xf4 missing?\n");
}
#else
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static long semihost(long op, void *arg)
{
#if defined(__aarch64__)
	register long x0 __asm__("x0") = op;
	register void *x1 __asm__("x1") = arg;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
#elif defined(__riscv) && __riscv_xlen == 64
	register long a0 __asm__("a0") = op;
	register void *a1 __asm__("a1") = arg;

	/* The semihosting sequence: three uncompressed instructions on one page. */
	__asm__ volatile(".option push\n\t"
			 ".option norvc\n\t"
			 ".balign 16\n\t"
			 "slli zero, zero, 0x1f\n\t"
			 "ebreak\n\t"
			 "srai zero, zero, 7\n\t"
			 ".option pop"
			 : "+r"(a0) : "r"(a1) : "memory");
	return a0;
#else
#error "qemu-exit.c: x86_64, arm64 or riscv64 only"
#endif
}

static void qemu_exit(long code)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, ((uint64_t)code << 1) | 1 };

	fflush(NULL);
	semihost(SYS_EXIT, block);
	fprintf(stderr, "qemu-exit: SYS_EXIT returned; does QEMU run with -semihosting-config enable=on,userspace=on?\n");
}
#endif

int main(int argc, char **argv)
{
	char *end;
	long code;

	if (argc != 2) {
		fprintf(stderr, "usage: qemu-exit CODE (0..255); QEMU then exits with (CODE<<1)|1\n");
		return 2;
	}
	errno = 0;
	code = strtol(argv[1], &end, 0);
	if (errno || *end || end == argv[1] || code < 0 || code > 255) {
		fprintf(stderr, "qemu-exit: bad CODE '%s'; pass a number from 0 to 255\n", argv[1]);
		return 2;
	}
	qemu_exit(code);
	return 1;	/* only reached when QEMU did not exit */
}
