/*
 * The hypervisor console: console_io and per-domain line buffering.
 *
 * Output is passed to the frontend's sink a line at a time; whatever is
 * left without a newline is flushed at domain teardown, so no output is lost
 * at power-off. Input comes from the sink's read (frontend/input.c delivers
 * it at deterministic points): CONSOLEIO_read here, H_GET_TERM_CHAR for a
 * PAPR partition; a Xen console ring is fed by its backend instead.
 */
#include "hv/evtchn.h"
#include "hv/hypercall.h"
#include "hv/xen_abi.h"

/* A guest asking for more than this in one call gets -E2BIG: it bounds the
 * work one hypercall can make us do. */
#define CONSOLE_IO_MAX (16u << 20)

void hv_console_write(struct domain *d, const char *buf, size_t len)
{
	struct hv_console_sink *sink = &d->hv->console;

	g_string_append_len(d->console_line, buf, (gssize)len);
	/* Hand complete lines to the sink. */
	size_t n = d->console_line->len;
	while (n && d->console_line->str[n - 1] != '\n')
		n--;
	if (n) {
		if (sink->write)
			sink->write(sink->opaque, d, d->console_line->str, n);
		g_string_erase(d->console_line, 0, (gssize)n);
	}
}

void hv_console_flush(struct domain *d)
{
	struct hv_console_sink *sink = &d->hv->console;

	if (d->console_line->len && sink->write)
		sink->write(sink->opaque, d, d->console_line->str, d->console_line->len);
	g_string_truncate(d->console_line, 0);
}

size_t hv_console_read(struct domain *d, char *buf, size_t len, bool peek)
{
	struct hv_console_sink *sink = &d->hv->console;

	return sink->read ? sink->read(sink->opaque, d, buf, len, !peek) : 0;
}

void hv_console_input(struct domain *d)
{
	/* Xen raises VIRQ_CONSOLE for the domain that reads the console. */
	hv_evtchn_send_global_virq(d, VIRQ_CONSOLE);
}

long do_console_io(struct vcpu *v, const uint64_t a[6])
{
	unsigned cmd = (unsigned)a[0];
	uint64_t count = (uint32_t)a[1];
	uint64_t buf = a[2];
	char chunk[256];

	switch (cmd) {
	case CONSOLEIO_write:
		if (count > CONSOLE_IO_MAX)
			return -XEN_E2BIG;
		while (count) {
			size_t n = count < sizeof(chunk) ? count : sizeof(chunk);
			if (hv_copy_from_guest(v, chunk, buf, n) < 0)
				return -XEN_EFAULT;
			hv_console_write(v->d, chunk, n);
			buf += n;
			count -= n;
		}
		return 0;
	case CONSOLEIO_read: {
		/* Xen's semantics: up to count bytes into buf, the number read
		 * returned (0: nothing waiting). Input is only taken once it
		 * reached the guest, so a bad buffer loses nothing. */
		size_t n = count < sizeof(chunk) ? count : sizeof(chunk);

		n = hv_console_read(v->d, chunk, n, true);
		if (n && hv_copy_to_guest(v, buf, chunk, n) < 0)
			return -XEN_EFAULT;
		return (long)hv_console_read(v->d, chunk, n, false);
	}
	default: return -XEN_ENOSYS;
	}
}
