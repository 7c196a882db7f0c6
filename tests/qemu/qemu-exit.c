// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-exit CODE - make QEMU exit with status (CODE << 1) | 1.
 *
 * Writes CODE (0..255) to QEMU's isa-debug-exit device, which boot.sh
 * configures with "-device isa-debug-exit,iobase=0xf4,iosize=0x04".
 * Needs CONFIG_X86_IOPL_IOPERM and CAP_SYS_RAWIO (the guest's init runs as
 * root). Build: gcc -static -O2 -o qemu-exit qemu-exit.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>

#define DEBUG_EXIT_PORT 0xf4

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
	if (ioperm(DEBUG_EXIT_PORT, 1, 1)) {
		fprintf(stderr, "qemu-exit: ioperm(0x%x) failed: %s; needs root and CONFIG_X86_IOPL_IOPERM\n",
			DEBUG_EXIT_PORT, strerror(errno));
		return 1;
	}
	outb((unsigned char)code, DEBUG_EXIT_PORT);
	/* Only reached when there is no isa-debug-exit device. */
	fprintf(stderr, "qemu-exit: wrote %ld to port 0x%x but QEMU did not exit; is -device isa-debug-exit,iobase=0xf4 missing?\n",
		code, DEBUG_EXIT_PORT);
	return 1;
}
