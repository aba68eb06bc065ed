/* SPDX-License-Identifier: GPL-2.0 */
/* TAP results for the C host tests of the CLI (test_cli_unit.c, fuzz_cli.c). */
#ifndef TCPTUNE_CLI_TAP_H
#define TCPTUNE_CLI_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_n, tap_failed;

static void __attribute__((format(printf, 2, 3))) check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		tap_failed++;
	fflush(stdout);
}

#endif /* TCPTUNE_CLI_TAP_H */
