// SPDX-License-Identifier: GPL-2.0
/*
 * Print the edges that tests/coverage/kcov_wrap.c appended to FILE, each once, sorted, as
 * "@@@ <TAG> <from> <to>" lines (hex) for the host (tests/coverage/report.py), then
 * "@@@ <TAG>S <n>".
 *
 *   kcov_dump FILE TAG
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct edge {
	uint64_t from, to;
};

static int cmp(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

int main(int argc, char **argv)
{
	struct edge *e = NULL;
	size_t n = 0, cap = 0, i, out = 0;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: kcov_dump FILE TAG\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			e = realloc(e, cap * sizeof(*e));
			if (!e) {
				perror("realloc");
				return 1;
			}
		}
		if (fread(&e[n], sizeof(*e), 1, f) != 1)
			break;
		n++;
	}
	fclose(f);
	qsort(e, n, sizeof(*e), cmp);
	for (i = 0; i < n; i++) {
		if (i && e[i].from == e[i - 1].from && e[i].to == e[i - 1].to)
			continue;
		printf("@@@ %s %llx %llx\n", argv[2], (unsigned long long)e[i].from,
		       (unsigned long long)e[i].to);
		out++;
	}
	printf("@@@ %sS %zu\n", argv[2], out);
	return 0;
}
