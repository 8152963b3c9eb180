/*
 * The console backend: where a guest's console output goes (stdout, a file,
 * nowhere) and, later, where its input comes from. Fed by hv's console
 * (console_io now; the Xen console ring and the PAPR vty later).
 *
 * Output is written as soon as it arrives and flushed, so nothing the guest
 * printed is lost when it powers off or crashes.
 */
#ifndef SV_DEVICES_CONSOLE_H
#define SV_DEVICES_CONSOLE_H

#include <stdio.h>

#include "sv/common.h"

struct console_backend {
	FILE *out;
	bool own;
	uint64_t bytes_out;
};

/* kind: "stdio", "none" or a file path (for file:PATH). 0 or -errno. */
int console_backend_open_stdio(struct console_backend *c);
int console_backend_open_none(struct console_backend *c);
int console_backend_open_file(struct console_backend *c, const char *path);
void console_backend_write(struct console_backend *c, const char *buf, size_t len);
void console_backend_close(struct console_backend *c);

#endif
