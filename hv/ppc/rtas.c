/*
 * RTAS services (see rtas.h).
 */
#include "hv/ppc/rtas.h"
#include "hv/ppc/papr.h"
#include "hv/time.h"

#include <glib.h>
#include <inttypes.h>

const uint32_t rtas_blob[RTAS_BLOB_WORDS] = {
	0x7c641b78, /* mr    r4, r3          the argument block */
	0x3c600000, /* lis   r3, 0 */
	0x6063f000, /* ori   r3, r3, 0xf000  KVMPPC_H_RTAS */
	0x44000022, /* sc    1 */
	0x4e800020, /* blr */
};

const struct rtas_service rtas_services[] = {
#define RTAS_ROW(name, token, fn) { name, token },
	RTAS_SERVICES(RTAS_ROW)
#undef RTAS_ROW
};
const unsigned rtas_n_services = G_N_ELEMENTS(rtas_services);

/* A call in progress: arguments read, returns to fill (big-endian block). */
struct rtas_call {
	struct vcpu *v;
	uint32_t nargs, nret;
	uint32_t args[16];
	uint32_t rets[16];
};

static int32_t rtas_unsupported(struct rtas_call *c)
{
	return RTAS_HARDWARE_ERROR;
}

/* display-character (char): one byte to the console. */
static int32_t rtas_display_character(struct rtas_call *c)
{
	char ch;

	if (c->nargs < 1)
		return RTAS_PARAMETER_ERROR;
	ch = (char)c->args[0];
	hv_console_write(c->v->d, &ch, 1);
	return RTAS_SUCCESS;
}

/* get-time-of-day (): year, month, day, hour, minute, second, nanosecond of
 * the guest's wall clock: HV_TIME_WALLCLOCK_EPOCH plus system time (virtual),
 * never the host's clock. */
static int32_t rtas_get_time_of_day(struct rtas_call *c)
{
	uint64_t ns = hv_time_now(c->v);
	GDateTime *t;

	if (c->nret < 8)
		return RTAS_PARAMETER_ERROR;
	t = g_date_time_new_from_unix_utc((gint64)(HV_TIME_WALLCLOCK_EPOCH + ns / 1000000000u));
	if (!t)
		return RTAS_HARDWARE_ERROR;
	c->rets[1] = (uint32_t)g_date_time_get_year(t);
	c->rets[2] = (uint32_t)g_date_time_get_month(t);
	c->rets[3] = (uint32_t)g_date_time_get_day_of_month(t);
	c->rets[4] = (uint32_t)g_date_time_get_hour(t);
	c->rets[5] = (uint32_t)g_date_time_get_minute(t);
	c->rets[6] = (uint32_t)g_date_time_get_second(t);
	c->rets[7] = (uint32_t)(ns % 1000000000u);
	g_date_time_unref(t);
	return RTAS_SUCCESS;
}

static int32_t rtas_power_off(struct rtas_call *c)
{
	hv_domain_shutdown(c->v->d, HV_SHUTDOWN_POWEROFF);
	return RTAS_SUCCESS;
}

static int32_t rtas_system_reboot(struct rtas_call *c)
{
	hv_domain_shutdown(c->v->d, HV_SHUTDOWN_REBOOT);
	return RTAS_SUCCESS;
}

/* event-scan: no event pending ("1: no errors found"). */
static int32_t rtas_event_scan(struct rtas_call *c)
{
	return 1;
}

/* ibm,nmi-register (system reset handler, machine check handler): the
 * real addresses the guest wants its NMIs at; both must be in RAM. hv
 * raises no NMI (no machine checks are modelled), so nothing else is kept. */
static int32_t rtas_nmi_register(struct rtas_call *c)
{
	uint64_t ram = c->v->d->ram_bytes;

	if (c->nargs < 2 || c->args[0] >= ram || c->args[1] >= ram)
		return RTAS_PARAMETER_ERROR;
	return RTAS_SUCCESS;
}

/* ibm,nmi-interlock: the guest's NMI handler is done (no NMI is raised). */
static int32_t rtas_nmi_interlock(struct rtas_call *c)
{
	return RTAS_SUCCESS;
}

/* The XICS source controller (hv/ppc/papr_xics.c). */
static int32_t rtas_set_xive(struct rtas_call *c)
{
	return papr_rtas_set_xive(c->v, c->args, c->nargs);
}

static int32_t rtas_get_xive(struct rtas_call *c)
{
	return papr_rtas_get_xive(c->v, c->args, c->nargs, c->rets, c->nret);
}

static int32_t rtas_int_off(struct rtas_call *c)
{
	return papr_rtas_int_onoff(c->v, c->args, c->nargs, false);
}

static int32_t rtas_int_on(struct rtas_call *c)
{
	return papr_rtas_int_onoff(c->v, c->args, c->nargs, true);
}

/* System parameter tokens (LoPAPR 7.3.16, Table 7.3.16.x). */
#define SYSPARM_SPLPAR_CHARACTERISTICS 20
#define SYSPARM_DIAGNOSTICS_RUN_MODE 42
#define SYSPARM_CMO_CHARACTERISTICS 44
#define RTAS_SYSPARM_NOT_SUPPORTED (-3)

/*
 * ibm,get-system-parameter (parameter, buffer, length) -> status: the
 * parameter's value into the buffer (a real address) as a be16 length and
 * that many bytes, cut to the buffer's length. Offered:
 *   SPLPAR characteristics: the "keyword=value" list of a dedicated-
 *     processor partition (its processors, memory in MiB, no capping);
 *   diagnostics run mode: 0 (diagnostics disabled).
 * Every other parameter, cooperative memory overcommitment (44) among them,
 * is "not supported" (-3): a kernel that asks for CMO then runs without it.
 */
static int32_t rtas_get_system_parameter(struct rtas_call *c)
{
	struct domain *d = c->v->d;
	const uint32_t *args = c->args;
	uint8_t out[256];
	uint64_t buf, len;
	size_t n;

	if (c->nargs < 3)
		return RTAS_PARAMETER_ERROR;
	buf = args[1];
	len = args[2];
	switch (args[0]) {
	case SYSPARM_SPLPAR_CHARACTERISTICS: {
		int k = g_snprintf((char *)out + 2, sizeof(out) - 2,
				   "DesProcs=%u,MaxPlatProcs=%u,MaxEntCap=%u,DesEntCap=%u,"
				   "DesMem=%" PRIu64 ",CapInc=100,DesVarCapWt=0,"
				   "DedDonMode=0,SharedPoolId=0",
				   d->n_vcpus, d->n_vcpus, 100 * d->n_vcpus, 100 * d->n_vcpus,
				   d->ram_bytes >> 20);
		n = (size_t)k < sizeof(out) - 2 ? (size_t)k : sizeof(out) - 3;
		break;
	}
	case SYSPARM_DIAGNOSTICS_RUN_MODE:
		out[2] = 0;
		n = 1;
		break;
	default: return RTAS_SYSPARM_NOT_SUPPORTED;
	}
	st16_be_p(out, (uint16_t)n);
	n += 2;
	if (len < n)
		n = len;
	if (n && p2m_copy_to(d->p2m, buf, out, n) < 0)
		return RTAS_PARAMETER_ERROR;
	return RTAS_SUCCESS;
}

/* nvram-fetch / nvram-store (hv/ppc/papr_nvram.c). */
static int32_t rtas_nvram_fetch(struct rtas_call *c)
{
	return papr_rtas_nvram(c->v, c->args, c->nargs, c->rets, c->nret, false);
}

static int32_t rtas_nvram_store(struct rtas_call *c)
{
	return papr_rtas_nvram(c->v, c->args, c->nargs, c->rets, c->nret, true);
}

/* query-cpu-stopped-state (cpu) -> state: 0 stopped, 2 running. */
static int32_t rtas_query_cpu_stopped_state(struct rtas_call *c)
{
	int state;

	if (c->nargs < 1 || c->nret < 2)
		return RTAS_PARAMETER_ERROR;
	state = papr_cpu_stopped_state(c->v->d, c->args[0]);
	if (state < 0)
		return RTAS_PARAMETER_ERROR;
	c->rets[1] = (uint32_t)state;
	return RTAS_SUCCESS;
}

/* start-cpu (cpu, start address, r3): a stopped processor starts there. */
static int32_t rtas_start_cpu(struct rtas_call *c)
{
	if (c->nargs < 3)
		return RTAS_PARAMETER_ERROR;
	return papr_start_cpu(c->v, c->args[0], c->args[1], c->args[2]);
}

/* stop-self (): the calling processor stops (until start-cpu). */
static int32_t rtas_stop_self(struct rtas_call *c)
{
	papr_stop_self(c->v);
	return RTAS_SUCCESS;
}

/* ibm,os-term (message): the guest kernel gave up (panic). Its message (a
 * string at a real address) goes into the crash report, printable
 * characters only and at most RTAS_OS_TERM_MSG bytes. */
#define RTAS_OS_TERM_MSG 160

static int32_t rtas_os_term(struct rtas_call *c)
{
	char msg[RTAS_OS_TERM_MSG + 1] = "";
	unsigned n = 0;

	for (; c->nargs >= 1 && n < RTAS_OS_TERM_MSG; n++) {
		uint8_t ch;
		if (p2m_copy_from(c->v->d->p2m, &ch, (uint64_t)c->args[0] + n, 1) < 0 || !ch)
			break;
		msg[n] = g_ascii_isprint(ch) ? (char)ch : ' ';
	}
	msg[n] = 0;
	hv_domain_crash(c->v->d, "the guest called ibm,os-term (kernel panic)%s%s", n ? ": " : "",
			g_strstrip(msg));
	return RTAS_SUCCESS;
}

long hv_ppc_rtas_call(struct vcpu *v, uint64_t args_gpa)
{
	struct rtas_call c = { .v = v };
	uint8_t hdr[12], buf[4 * 32];
	uint32_t token;
	int32_t status;

	if (hv_copy_from_guest(v, hdr, args_gpa, sizeof(hdr)) < 0)
		return H_PARAMETER;
	token = (uint32_t)ld32_be_p(hdr);
	c.nargs = (uint32_t)ld32_be_p(hdr + 4);
	c.nret = (uint32_t)ld32_be_p(hdr + 8);
	if (c.nargs > 16 || c.nret > 16 || c.nret == 0)
		return H_PARAMETER;
	if (c.nargs && hv_copy_from_guest(v, buf, args_gpa + 12, 4 * c.nargs) < 0)
		return H_PARAMETER;
	for (uint32_t i = 0; i < c.nargs; i++)
		c.args[i] = (uint32_t)ld32_be_p(buf + 4 * i);

	const char *name = "?";
	switch (token) {
#define RTAS_CASE(nm, tok, fn)                                                                     \
	case tok:                                                                                  \
		name = nm;                                                                         \
		status = rtas_##fn(&c);                                                            \
		break;
		RTAS_SERVICES(RTAS_CASE)
#undef RTAS_CASE
	default: status = RTAS_PARAMETER_ERROR; break;
	}
	hv_trace(v, TRACE_HYPERCALLS, "RTAS %s (0x%x) nargs=%u arg0=0x%x -> %d", name, token,
		 c.nargs, c.nargs ? c.args[0] : 0, status);
	c.rets[0] = (uint32_t)status;
	for (uint32_t i = 0; i < c.nret; i++)
		st32_be_p(buf + 4 * i, c.rets[i]);
	if (hv_copy_to_guest(v, args_gpa + 12 + 4 * c.nargs, buf, 4 * c.nret) < 0)
		return H_PARAMETER;
	return H_SUCCESS;
}
