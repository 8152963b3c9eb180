/*
 * gdb's `monitor` commands (qRcmd): the hypervisor's state as a reader of
 * the code would want to see it while the guest is stopped. `monitor help`
 * lists them; frontend/gdbstub.c sends the text back as gdb console output.
 */
#ifndef SV_FRONTEND_MONITOR_H
#define SV_FRONTEND_MONITOR_H

#include "sv/common.h"

struct domain;

struct sv_monitor {
	struct domain *d;
	/* `savevm FILE`: arrange for a snapshot (frontend/snapshot.h); the
	 * text to show. NULL: not available. */
	char *(*savevm)(void *opaque, const char *path);
	void *opaque;
};

/* Run one command line; the text to show (g_free it). */
char *sv_monitor_run(const struct sv_monitor *mon, const char *cmd);

#endif
