// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-exit CODE - make QEMU exit with status (CODE << 1) | 1, on arm64 and riscv64.
 *
 * The counterpart of qemu-exit.c (x86 isa-debug-exit) for machines without
 * I/O ports: the Arm semihosting call SYS_EXIT (0x18) with the parameter block
 * { ADP_Stopped_ApplicationExit, status }, which QEMU turns into exit(status).
 * The status is (CODE << 1) | 1 so that boot scripts read it the same way as
 * isa-debug-exit's: 1 for success, 3 for failure, and never 0 (a plain
 * power-off or reboot with -no-reboot).
 *
 * QEMU must run with -semihosting-config enable=on,target=native,userspace=on
 * (QEMU >= 7.1; userspace=on lets this unprivileged-mode call through).
 * Without it the trap instruction is an illegal instruction (arm64: HLT at
 * EL0, SIGILL) or a breakpoint (riscv64: EBREAK, SIGTRAP) and this program is
 * killed; the guest's init then falls back to reboot -f.
 *
 * Build: <cross>-gcc -static -O2 -o qemu-exit qemu-exit-semihost.c
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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
#error "qemu-exit-semihost.c: arm64 or riscv64 only; x86 uses qemu-exit.c"
#endif
}

int main(int argc, char **argv)
{
	uint64_t block[2];
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
	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = ((uint64_t)code << 1) | 1;
	fflush(NULL);
	semihost(SYS_EXIT, block);
	/* Only reached when QEMU ignored the call. */
	fprintf(stderr, "qemu-exit: the semihosting SYS_EXIT returned; does QEMU run with -semihosting-config enable=on,userspace=on?\n");
	return 1;
}
