/*
 * Domains and vcpus: creation, teardown, shutdown, guest memory access.
 */
#include "hv/hv.h"
#include "hv/evtchn.h"
#include "hv/grant_table.h"
#include "hv/hypercall.h"
#include "hv/shared_info.h"
#include "hv/time.h"
#include "cpu/backend.h"
#include "cpu/tb.h"

#include <errno.h>
#include <stdarg.h>

int hv_init(struct hv *hv, uint64_t machine_bytes)
{
	int rc;

	memset(hv, 0, sizeof(*hv));
	/* Guest RAM plus the frames hv owns (shared_info pages, later grant
	 * tables and rings). */
	rc = machmem_init(&hv->mem,
			  machine_bytes + machine_bytes / 64 + HV_OWN_FRAMES * SV_PAGE_SIZE);
	if (rc < 0)
		return rc;
	hv->domains = g_ptr_array_new();
	hv->next_domid = 1; /* domain 0 is softvisor itself */
	return 0;
}

void hv_destroy(struct hv *hv)
{
	if (!hv->domains)
		return;
	while (hv->domains->len)
		hv_domain_destroy(g_ptr_array_index(hv->domains, hv->domains->len - 1));
	g_ptr_array_free(hv->domains, TRUE);
	hv->domains = NULL;
	machmem_destroy(&hv->mem);
}

struct domain *hv_domain_create(struct hv *hv, enum hv_arch arch, enum hv_personality pers,
				uint64_t ram_bytes, int *err)
{
	struct domain *d;
	int rc;

	if (ram_bytes < SV_PAGE_SIZE || (ram_bytes & ~SV_PAGE_MASK)) {
		*err = -EINVAL;
		return NULL;
	}
	d = g_new0(struct domain, 1);
	d->hv = hv;
	d->domid = hv->next_domid++;
	d->arch = arch;
	d->personality = pers;
	d->pers = pers == HV_PERSONALITY_PAPR ? &hv_papr_personality : &hv_xen_personality;
	d->hypercalls = d->pers->hypercalls;
	d->ram_bytes = ram_bytes;
	d->tot_pages = d->max_pages = ram_bytes >> SV_PAGE_BITS;
	d->shared_info_gfn = HV_GFN_NONE;
	d->shared_info_mfn = UINT64_MAX; /* none yet */
	d->target = DOMID_INVALID;
	for (unsigned i = 0; i < HV_NR_WATCHDOGS; i++)
		d->watchdog_ns[i] = HV_TIME_NONE;
	d->p2m = p2m_new(&hv->mem, d->domid);
	d->tbc = tb_cache_new(d->p2m, &backend_threaded);
	d->console_line = g_string_new(NULL);
	d->stats.exits = g_hash_table_new(g_direct_hash, g_direct_equal);
	d->stats.hypercalls = g_hash_table_new(g_direct_hash, g_direct_equal);
	d->stats.hypercall_subops = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_ptr_array_add(hv->domains, d);
	hv_evtchn_init(d);
	hv_gnttab_init(d);
	rc = p2m_populate_ram(d->p2m, 0, ram_bytes >> SV_PAGE_BITS);
	if (rc == 0)
		rc = hv_shared_info_init(d);
	if (rc == 0 && d->pers->domain_init)
		rc = d->pers->domain_init(d);
	if (rc < 0) {
		hv_domain_destroy(d);
		*err = rc;
		return NULL;
	}
	return d;
}

void hv_domain_attach_device(struct domain *d, struct hv_device *dev)
{
	dev->next = d->devices;
	d->devices = dev;
}

void hv_domain_detach_device(struct domain *d, struct hv_device *dev)
{
	for (struct hv_device **p = &d->devices; *p; p = &(*p)->next)
		if (*p == dev) {
			*p = dev->next;
			dev->next = NULL;
			return;
		}
}

void hv_domain_destroy(struct domain *d)
{
	while (d->devices) {
		struct hv_device *dev = d->devices;
		d->devices = dev->next;
		dev->next = NULL;
		dev->destroy(dev);
	}
	hv_console_flush(d);
	hv_evtchn_destroy(d);
	for (unsigned i = 0; i < d->n_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		if (v->vcpu_info_mfn >= 0)
			machmem_put(&d->hv->mem, (uint64_t)v->vcpu_info_mfn);
		if (v->arch && v->arch->vcpu_destroy)
			v->arch->vcpu_destroy(v);
		g_free(v);
	}
	g_free(d->vcpus);
	tb_cache_free(d->tbc);
	p2m_destroy(d->p2m);
	if (d->shared_info_mfn != UINT64_MAX)
		hv_shared_info_destroy(d);
	hv_gnttab_destroy(d);
	if (d->pers->domain_destroy)
		d->pers->domain_destroy(d);
	g_string_free(d->console_line, TRUE);
	g_hash_table_destroy(d->stats.exits);
	g_hash_table_destroy(d->stats.hypercalls);
	g_hash_table_destroy(d->stats.hypercall_subops);
	g_ptr_array_remove(d->hv->domains, d);
	g_free(d);
}

struct vcpu *hv_vcpu_add(struct domain *d, struct cpu *cpu, const struct hv_arch_ops *arch)
{
	struct vcpu *v = g_new0(struct vcpu, 1);

	v->d = d;
	v->id = d->n_vcpus;
	v->cpu = cpu;
	v->arch = arch;
	v->vcpu_info_mfn = -1;
	v->initialised = true;
	v->singleshot_ns = HV_TIME_NONE;
	v->periodic_next_ns = HV_TIME_NONE;
	v->poll_timeout_ns = HV_TIME_NONE;
	cpu->opaque = v;
	cpu->trace = &d->hv->trace;
	g_snprintf(cpu->name, sizeof(cpu->name), "d%uv%u", d->domid, v->id);
	d->vcpus = g_renew(struct vcpu *, d->vcpus, d->n_vcpus + 1);
	d->vcpus[d->n_vcpus++] = v;
	/* A valid pvclock from the start (virtual time is linear in the TSC,
	 * so it stays valid; it is refreshed at timer events). */
	hv_time_update_vcpu(v);
	return v;
}

void hv_vcpu_start_offline(struct vcpu *v)
{
	v->initialised = false;
	v->down = true;
	hv_vcpu_update_runstate(v);
}

void hv_domain_shutdown(struct domain *d, unsigned reason)
{
	if (d->shut_down)
		return;
	d->shut_down = true;
	d->shutdown_reason = reason;
	for (unsigned i = 0; i < d->n_vcpus; i++)
		cpu_request_exit(d->vcpus[i]->cpu);
}

void hv_domain_crash(struct domain *d, const char *fmt, ...)
{
	va_list ap;

	if (d->shut_down)
		return;
	va_start(ap, fmt);
	g_vsnprintf(d->crash_msg, sizeof(d->crash_msg), fmt, ap);
	va_end(ap);
	hv_domain_shutdown(d, HV_SHUTDOWN_CRASH);
}

struct domain *hv_domain_by_id(struct hv *hv, uint16_t domid)
{
	for (unsigned i = 0; i < hv->domains->len; i++) {
		struct domain *d = g_ptr_array_index(hv->domains, i);
		if (d->domid == domid)
			return d;
	}
	return NULL;
}

enum hv_exit_action hv_vcpu_handle_exit(struct vcpu *v)
{
	v->n_exits++;
	return v->arch->handle_exit(v);
}

int hv_copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
	return cpu_virt_read(v->cpu, gva, v->arch->data_mmu_idx(v), dst, len);
}

int hv_copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
	return cpu_virt_write(v->cpu, gva, v->arch->data_mmu_idx(v), src, len);
}

bool hv_gpa_ram_rw(struct domain *d, uint64_t gpa)
{
	struct p2m_entry e;

	return p2m_lookup(d->p2m, gpa >> SV_PAGE_BITS, &e) && e.type == P2M_RAM_RW &&
	       (e.access & P2M_ACCESS_W);
}

int hv_guest_area_register(struct vcpu *caller, struct hv_guest_area *a, uint64_t gva, uint32_t len)
{
	unsigned idx = caller->arch->data_mmu_idx(caller);
	uint32_t len0 = SV_PAGE_SIZE - (uint32_t)(gva & ~SV_PAGE_MASK);
	uint64_t gpa0, gpa1 = 0;

	if (len0 > len)
		len0 = len;
	if (cpu_translate_va(caller->cpu, gva, MMU_WRITE, idx, &gpa0) < 0)
		return -XEN_EFAULT;
	if (len0 < len && cpu_translate_va(caller->cpu, gva + len0, MMU_WRITE, idx, &gpa1) < 0)
		return -XEN_EFAULT;
	/* Stricter than Xen, which finds out at the first update: the area
	 * must be writable RAM now. */
	if (!hv_gpa_ram_rw(caller->d, gpa0) || (len0 < len && !hv_gpa_ram_rw(caller->d, gpa1)))
		return -XEN_EFAULT;
	a->on = true;
	a->len = len;
	a->len0 = len0;
	a->gpa[0] = gpa0;
	a->gpa[1] = gpa1;
	return 0;
}

int hv_guest_area_read(struct domain *d, const struct hv_guest_area *a, void *buf, uint32_t len)
{
	uint32_t n0 = len < a->len0 ? len : a->len0;

	if (!a->on || len > a->len || p2m_copy_from(d->p2m, buf, a->gpa[0], n0) < 0)
		return -EFAULT;
	if (len > n0 && p2m_copy_from(d->p2m, (uint8_t *)buf + n0, a->gpa[1], len - n0) < 0)
		return -EFAULT;
	return 0;
}

int hv_guest_area_write(struct domain *d, const struct hv_guest_area *a, const void *buf,
			uint32_t len)
{
	uint32_t n0 = len < a->len0 ? len : a->len0;

	if (!a->on || len > a->len || p2m_copy_to(d->p2m, a->gpa[0], buf, n0) < 0)
		return -EFAULT;
	if (len > n0 && p2m_copy_to(d->p2m, a->gpa[1], (const uint8_t *)buf + n0, len - n0) < 0)
		return -EFAULT;
	return 0;
}

uint16_t hv_guest_u16(struct vcpu *v, const void *p)
{
	return (uint16_t)(v->arch->guest_big_endian(v) ? ld16_be_p(p) : ld16_le_p(p));
}

void hv_guest_put_u16(struct vcpu *v, void *p, uint16_t x)
{
	if (v->arch->guest_big_endian(v))
		st16_be_p(p, x);
	else
		st16_le_p(p, x);
}

uint32_t hv_guest_u32(struct vcpu *v, const void *p)
{
	return (uint32_t)(v->arch->guest_big_endian(v) ? ld32_be_p(p) : ld32_le_p(p));
}

void hv_guest_put_u32(struct vcpu *v, void *p, uint32_t x)
{
	if (v->arch->guest_big_endian(v))
		st32_be_p(p, x);
	else
		st32_le_p(p, x);
}

uint64_t hv_guest_u64(struct vcpu *v, const void *p)
{
	return v->arch->guest_big_endian(v) ? ld64_be_p(p) : ld64_le_p(p);
}

void hv_guest_put_u64(struct vcpu *v, void *p, uint64_t x)
{
	if (v->arch->guest_big_endian(v))
		st64_be_p(p, x);
	else
		st64_le_p(p, x);
}

void hv_trace(struct vcpu *v, unsigned cat, const char *fmt, ...)
{
	struct trace *tr = &v->d->hv->trace;
	va_list ap;
	char *msg;

	if (!trace_on(tr, cat))
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	trace_printf(tr, "%" G_GUINT64_FORMAT " d%uv%u %s\n", cpu_icount(v->cpu), v->d->domid,
		     v->id, msg);
	g_free(msg);
}

void hv_stats_exit(struct vcpu *v, uint32_t reason)
{
	GHashTable *h = v->d->stats.exits;
	gpointer key = GUINT_TO_POINTER(reason);

	g_hash_table_insert(h, key,
			    GSIZE_TO_POINTER(GPOINTER_TO_SIZE(g_hash_table_lookup(h, key)) + 1));
}

static gint hv_cmp_u32(gconstpointer a, gconstpointer b)
{
	gsize x = GPOINTER_TO_SIZE(a), y = GPOINTER_TO_SIZE(b);
	return x < y ? -1 : x > y;
}

uint64_t hv_domain_icount(const struct domain *d)
{
	uint64_t insns = 0;

	for (unsigned i = 0; i < d->n_vcpus; i++)
		insns += d->vcpus[i]->cpu->icount;
	return insns;
}

/* The sub-operations of hypercall nr that were called, by number. */
static void hv_stats_print_subops(struct domain *d, const struct hv_hypercall *h, uint64_t nr,
				  FILE *out)
{
	for (unsigned op = 0; h && h->subops && op < h->n_subops; op++) {
		gpointer key = GSIZE_TO_POINTER((gsize)(nr * HV_STATS_SUBOPS + op));
		uint64_t n = GPOINTER_TO_SIZE(g_hash_table_lookup(d->stats.hypercall_subops, key));
		char unnamed[16];
		const char *name = h->subops[op];
		int width;

		if (!n)
			continue;
		/* A gap in the table of names: the sub-operation's number. */
		if (!name) {
			g_snprintf(unnamed, sizeof(unnamed), "op %u", op);
			name = unnamed;
		}
		/* Counts line up with the hypercalls' even past a long name. */
		width = 34 - (int)strlen(name);
		fprintf(out, "             %s %*" G_GUINT64_FORMAT "\n", name,
			width < 1 ? 1 : width, n);
	}
}

void hv_stats_print(struct domain *d, FILE *out)
{
	GList *keys = g_list_sort(g_hash_table_get_keys(d->stats.exits), hv_cmp_u32);
	const struct hv_arch_ops *arch = d->n_vcpus ? d->vcpus[0]->arch : NULL;
	uint64_t insns = hv_domain_icount(d);

	fprintf(out,
		"softvisor stats: domain %u (%s), %u vcpu(s), %" G_GUINT64_FORMAT " instructions\n",
		d->domid, hv_arch_name(d->arch), d->n_vcpus, insns);
	/* Each vcpu's clock: its instructions plus the time that passed while
	 * it was blocked or down (hv/time.h). */
	for (unsigned i = 0; i < d->n_vcpus; i++)
		fprintf(out,
			"  vcpu %u: virtual time %" G_GUINT64_FORMAT " ns, %" G_GUINT64_FORMAT
			" ns of it idle\n",
			i, hv_time_now(d->vcpus[i]), d->vcpus[i]->idle_ns);
	fprintf(out, "  exits by reason:\n");
	for (GList *k = keys; k; k = k->next) {
		uint32_t r = GPOINTER_TO_UINT(k->data);
		uint64_t n = GPOINTER_TO_SIZE(g_hash_table_lookup(d->stats.exits, k->data));
		if (d->arch == HV_ARCH_PPC64)
			fprintf(out, "    0x%-4x %-22s %10" G_GUINT64_FORMAT "\n", r,
				arch ? arch->exit_name(r) : "?", n);
		else
			fprintf(out, "    %-6u %-22s %10" G_GUINT64_FORMAT "\n", r,
				arch ? arch->exit_name(r) : "?", n);
	}
	fprintf(out, "  hypercalls (%s):\n", d->hypercalls->personality);
	g_list_free(keys);
	keys = g_list_sort(g_hash_table_get_keys(d->stats.hypercalls), hv_cmp_u32);
	for (GList *k = keys; k; k = k->next) {
		const struct hv_hypercall_table *t = d->hypercalls;
		uint64_t nr = GPOINTER_TO_SIZE(k->data);
		const struct hv_hypercall *h = hv_hypercall_lookup(t, nr);
		const char *name = h && h->name ? h->name : "unknown";
		char num[24];

		g_snprintf(num, sizeof(num),
			   t->hex ? "0x%" G_GINT64_MODIFIER "x" : "%" G_GUINT64_FORMAT, nr);
		fprintf(out, "    %-6s %-26s %10" G_GUINT64_FORMAT "\n", num, name,
			(uint64_t)GPOINTER_TO_SIZE(
				g_hash_table_lookup(d->stats.hypercalls, k->data)));
		hv_stats_print_subops(d, h, nr, out);
	}
	fprintf(out, "  hypercalls failed: %" G_GUINT64_FORMAT "\n", d->stats.hypercall_errors);
	g_list_free(keys);
}

const char *hv_arch_name(enum hv_arch a)
{
	return a == HV_ARCH_X86_64 ? "x86_64" : "ppc64";
}

const char *hv_shutdown_name(unsigned reason)
{
	static const char *const names[] = { "poweroff", "reboot",   "suspend",
					     "crash",    "watchdog", "soft_reset" };
	return reason < G_N_ELEMENTS(names) ? names[reason] : "unknown";
}
