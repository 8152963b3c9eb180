/*
 * The Xen console backend (devices/xen_console.c) on a real domain: the HVM
 * params, output through the ring and EVTCHNOP_send, wrap-around of the
 * free-running indexes, hostile indexes, console input, teardown.
 */
#include <criterion/criterion.h>

#include "devices/xen_console.h"
#include "hv/evtchn.h"
#include "hv_test.h"

#define ARG 0x1000ull
#define GFN 0x400ull /* outside HVT_RAM */
#define PAGE (GFN << SV_PAGE_BITS)

static struct hv hv;
static struct domain *d;
static struct xen_console *con;
static GString *sink;

static void sink_write(void *opaque, struct domain *dom, const char *buf, size_t len)
{
	g_string_append_len(sink, buf, (gssize)len);
}

static void setup(void)
{
	int err = 0;

	cr_assert_eq(hv_init(&hv, 8 << 20), 0);
	sink = g_string_new(NULL);
	hv.console.write = sink_write;
	d = hvt_domain(&hv, 1);
	con = xen_console_create(d, GFN, &err);
	cr_assert_not_null(con, "console: %d", err);
}

static void teardown(void)
{
	hv_destroy(&hv);
	g_string_free(sink, TRUE);
}

TestSuite(xen_console, .init = setup, .fini = teardown);

static uint64_t get_param(uint32_t index)
{
	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put32(d, ARG + 4, index);
	hvt_put64(d, ARG + 8, 0xdead);
	cr_assert_eq(hvt_call(d->vcpus[0], __HYPERVISOR_hvm_op, HVMOP_get_param, ARG, 0), 0);
	return hvt_get64(d, ARG + 8);
}

static long send(uint32_t port)
{
	hvt_put32(d, ARG, port);
	return hvt_call(d->vcpus[0], __HYPERVISOR_event_channel_op, EVTCHNOP_send, ARG, 0);
}

/* The guest writes s at out_prod and notifies. */
static void guest_write(const char *s)
{
	uint32_t prod = hvt_get32(d, PAGE + XENCONS_OFF_OUT_PROD);

	for (size_t i = 0; s[i]; i++) {
		uint8_t b = (uint8_t)s[i];
		p2m_copy_to(d->p2m, PAGE + XENCONS_OFF_OUT + ((prod + i) & (XENCONS_OUT_SIZE - 1)),
			    &b, 1);
	}
	hvt_put32(d, PAGE + XENCONS_OFF_OUT_PROD, prod + (uint32_t)strlen(s));
	cr_assert_eq(send(xen_console_port(con)), 0);
}

static void set_out(uint32_t cons, uint32_t prod)
{
	hvt_put32(d, PAGE + XENCONS_OFF_OUT_CONS, cons);
	hvt_put32(d, PAGE + XENCONS_OFF_OUT_PROD, prod);
}

Test(xen_console, params)
{
	struct p2m_entry e;

	cr_assert_eq(get_param(HVM_PARAM_CONSOLE_PFN), GFN);
	cr_assert_eq(get_param(HVM_PARAM_CONSOLE_EVTCHN), xen_console_port(con));
	cr_assert_neq(xen_console_port(con), 0);
	cr_assert(p2m_lookup(d->p2m, GFN, &e));
	cr_assert_eq(e.type, P2M_RAM_RW);
	/* The guest may not move it. */
	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put32(d, ARG + 4, HVM_PARAM_CONSOLE_PFN);
	hvt_put64(d, ARG + 8, 5);
	cr_assert_eq(hvt_call(d->vcpus[0], __HYPERVISOR_hvm_op, HVMOP_set_param, ARG, 0),
		     -XEN_EPERM);
	/* The port is interdomain with domain 0. */
	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put32(d, ARG + 4, xen_console_port(con));
	cr_assert_eq(hvt_call(d->vcpus[0], __HYPERVISOR_event_channel_op, EVTCHNOP_status, ARG, 0),
		     0);
	cr_assert_eq(hvt_get32(d, ARG + 8), EVTCHNSTAT_interdomain);
	cr_assert_eq(hvt_get16(d, ARG + 16), 0);
}

Test(xen_console, output)
{
	guest_write("hello\n");
	cr_assert_str_eq(sink->str, "hello\n");
	cr_assert_eq(hvt_get32(d, PAGE + XENCONS_OFF_OUT_CONS), 6);
	/* Notified back. */
	cr_assert(hv_evtchn_port_pending(d, xen_console_port(con)));
	/* A partial line waits for its newline (hv's line buffering)... */
	guest_write("ab");
	cr_assert_str_eq(sink->str, "hello\n");
	guest_write("c\n");
	cr_assert_str_eq(sink->str, "hello\nabc\n");
	/* ... or for teardown. */
	guest_write("tail");
	xen_console_destroy(con);
	hv_console_flush(d);
	cr_assert_str_eq(sink->str, "hello\nabc\ntail");
}

Test(xen_console, wrap_around)
{
	/* Near the end of the ring and of the 32-bit index space. */
	set_out(0xfffffffe, 0xfffffffe);
	guest_write("wrap\n");
	cr_assert_str_eq(sink->str, "wrap\n");
	cr_assert_eq(hvt_get32(d, PAGE + XENCONS_OFF_OUT_CONS), 3);
	/* A full ring in one go. */
	set_out(100, 100);
	{
		char big[XENCONS_OUT_SIZE + 1];
		memset(big, 'x', XENCONS_OUT_SIZE - 1);
		big[XENCONS_OUT_SIZE - 1] = '\n';
		big[XENCONS_OUT_SIZE] = 0;
		g_string_truncate(sink, 0);
		guest_write(big);
		cr_assert_eq(sink->len, XENCONS_OUT_SIZE);
	}
}

Test(xen_console, hostile_indexes)
{
	/* Producer far ahead of the consumer: dropped, nothing printed. */
	set_out(0, 5000);
	cr_assert_eq(send(xen_console_port(con)), 0);
	cr_assert_eq(sink->len, 0);
	cr_assert_eq(hvt_get32(d, PAGE + XENCONS_OFF_OUT_CONS), 5000);
	/* Producer behind the consumer (a huge unsigned distance). */
	set_out(10, 9);
	cr_assert_eq(send(xen_console_port(con)), 0);
	cr_assert_eq(sink->len, 0);
	/* Exactly a ring: accepted. */
	set_out(7, 7 + XENCONS_OUT_SIZE);
	cr_assert_eq(xen_console_drain(con, NULL), XENCONS_OUT_SIZE);
	/* Input with garbage indexes: the ring counts as full. */
	hvt_put32(d, PAGE + XENCONS_OFF_IN_CONS, 0);
	hvt_put32(d, PAGE + XENCONS_OFF_IN_PROD, 4000);
	cr_assert_eq(xen_console_push_input(con, "a", 1), 0);
	cr_assert_eq(hvt_get32(d, PAGE + XENCONS_OFF_IN_PROD), 4000);
}

Test(xen_console, input)
{
	char buf[2000];
	uint8_t got[4] = { 0 };

	cr_assert_eq(xen_console_push_input(con, "abc", 3), 3);
	cr_assert_eq(hvt_get32(d, PAGE + XENCONS_OFF_IN_PROD), 3);
	p2m_copy_from(d->p2m, got, PAGE + XENCONS_OFF_IN, 3);
	cr_assert_str_eq((char *)got, "abc");
	cr_assert(hv_evtchn_port_pending(d, xen_console_port(con)));
	/* Only what fits. */
	memset(buf, 'z', sizeof(buf));
	cr_assert_eq(xen_console_push_input(con, buf, sizeof(buf)), XENCONS_IN_SIZE - 3);
	cr_assert_eq(xen_console_push_input(con, "q", 1), 0);
	/* The guest consumes 2; they fit again, wrapping to the start. */
	hvt_put32(d, PAGE + XENCONS_OFF_IN_CONS, 2);
	cr_assert_eq(xen_console_push_input(con, "xy", 2), 2);
	p2m_copy_from(d->p2m, got, PAGE + XENCONS_OFF_IN, 2);
	cr_assert_eq(got[0], 'x');
	cr_assert_eq(got[1], 'y');
}

Test(xen_console, guest_closes_port)
{
	uint32_t port = xen_console_port(con);

	hvt_put32(d, ARG, port);
	cr_assert_eq(hvt_call(d->vcpus[0], __HYPERVISOR_event_channel_op, EVTCHNOP_close, ARG, 0),
		     0);
	/* Input still lands in the ring; the notify goes nowhere. */
	cr_assert_eq(xen_console_push_input(con, "a", 1), 1);
	cr_assert_not(hv_evtchn_port_pending(d, port));
	/* Sending on the closed port is the guest's error. */
	cr_assert_eq(send(port), -XEN_EINVAL);
}

Test(xen_console, teardown_unmaps)
{
	struct p2m_entry e;

	xen_console_destroy(con);
	cr_assert_not(p2m_lookup(d->p2m, GFN, &e));
	cr_assert_eq(get_param(HVM_PARAM_CONSOLE_PFN), 0);
	cr_assert_eq(get_param(HVM_PARAM_CONSOLE_EVTCHN), 0);
	/* A second console; the domain's destruction takes it down. */
	int err;
	con = xen_console_create(d, GFN + 1, &err);
	cr_assert_not_null(con);
}
