/*
 * gdb monitor commands (see frontend/monitor.h).
 *
 * Worked example (an x86 Xen guest stopped in gdb):
 *
 *   (gdb) monitor info domains
 *   d1: x86_64 xen, 1 vcpu(s), 32 MiB, 8192 pages, running, evtchn 2-level
 *       (4096 ports), grant table v1 (1 frames)
 *   (gdb) monitor p2m 0xfeff0
 *   gfn 0xfeff0: ram_rw mfn 0x2003 rw- (frame owner d0, 2 refs)
 *   (gdb) monitor info evtchn
 *   port 1: interdomain d0 (backend console) vcpu 0 pending 0 masked 0
 *
 * One table of commands; each is a function that appends its text.
 */
#include "frontend/monitor.h"
#include "cpu/ppc/cpu_ppc.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"
#include "hv/evtchn.h"
#include "hv/grant_table.h"
#include "hv/hv.h"
#include "hv/shared_info.h"

#include <errno.h>
#include <inttypes.h>

struct sv_monitor_cmd {
	const char *name, *args, *help;
	void (*fn)(const struct sv_monitor *mon, const char *args, GString *out);
};

static bool sv_monitor_number(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*v = g_ascii_strtoull(s, &end, 0);
	return !errno && end != s && !*g_strchug(end);
}

/* The vcpu named by args (default 0), or NULL after saying why. */
static struct vcpu *sv_monitor_vcpu(const struct sv_monitor *mon, const char *args, GString *out)
{
	uint64_t n = 0;

	if (*args && !sv_monitor_number(args, &n)) {
		g_string_append_printf(out, "bad vcpu number '%s'\n", args);
		return NULL;
	}
	if (n >= mon->d->n_vcpus) {
		g_string_append_printf(out, "no vcpu %" PRIu64 " (the domain has %u)\n", n,
				       mon->d->n_vcpus);
		return NULL;
	}
	return mon->d->vcpus[n];
}

static void mon_exits(const struct sv_monitor *mon, const char *args, GString *out)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return;
	hv_stats_print(mon->d, f);
	fclose(f);
	g_string_append(out, text ? text : "");
	free(text);
}

static void mon_vcpus(const struct sv_monitor *mon, const char *args, GString *out)
{
	static const char *const block[] = { "", " (halted)", " (blocked)", " (polling)",
					     " (ceded)" };

	for (unsigned i = 0; i < mon->d->n_vcpus; i++) {
		struct vcpu *v = mon->d->vcpus[i];

		g_string_append_printf(
			out,
			"thread %u: vcpu %u (%s) pc=0x%" PRIx64 " icount=%" PRIu64 " exits=%" PRIu64
			" idle=%" PRIu64 "ns%s%s\n",
			i + 1, v->id, v->cpu->name, v->cpu->arch->get_pc(v->cpu), v->cpu->icount,
			v->n_exits, v->idle_ns, v->down ? " (down)" : "",
			v->blocked && v->block < G_N_ELEMENTS(block) ? block[v->block] : "");
	}
}

static void mon_domains(const struct sv_monitor *mon, const char *args, GString *out)
{
	struct hv *hv = mon->d->hv;

	for (unsigned i = 0; i < hv->domains->len; i++) {
		struct domain *d = g_ptr_array_index(hv->domains, i);

		g_string_append_printf(
			out,
			"d%u: %s %s, %u vcpu(s), %" PRIu64 " MiB, %" PRIu64 " pages (max %" PRIu64
			"), %s, evtchn %s (%u ports), grant table v%u (%u frames)\n",
			d->domid, hv_arch_name(d->arch),
			d->personality == HV_PERSONALITY_PAPR ? "pseries" : "xen", d->n_vcpus,
			d->ram_bytes >> 20, d->tot_pages, d->max_pages,
			d->shut_down ? hv_shutdown_name(d->shutdown_reason) : "running",
			d->evtchn_ops->name, d->n_evtchn, d->gnttab ? d->gnttab->version : 0,
			d->gnttab ? d->gnttab->nr_frames : 0);
	}
	g_string_append_printf(out, "machine: %" PRIu64 " frames, %" PRIu64 " free\n",
			       hv->mem.n_frames, hv->mem.n_free);
}

/* The x86 software VMCS: controls, guest state and the last exit. */
static const struct {
	const char *name;
	uint32_t field;
} sv_vmcs_fields[] = {
	{ "PIN_BASED_VM_EXEC_CONTROL", PIN_BASED_VM_EXEC_CONTROL },
	{ "CPU_BASED_VM_EXEC_CONTROL", CPU_BASED_VM_EXEC_CONTROL },
	{ "SECONDARY_VM_EXEC_CONTROL", SECONDARY_VM_EXEC_CONTROL },
	{ "EXCEPTION_BITMAP", EXCEPTION_BITMAP },
	{ "VM_EXIT_CONTROLS", VM_EXIT_CONTROLS },
	{ "VM_ENTRY_CONTROLS", VM_ENTRY_CONTROLS },
	{ "CR0_GUEST_HOST_MASK", CR0_GUEST_HOST_MASK },
	{ "CR0_READ_SHADOW", CR0_READ_SHADOW },
	{ "CR4_GUEST_HOST_MASK", CR4_GUEST_HOST_MASK },
	{ "CR4_READ_SHADOW", CR4_READ_SHADOW },
	{ "TSC_OFFSET", TSC_OFFSET },
	{ "EPT_POINTER", EPT_POINTER },
	{ "GUEST_RIP", GUEST_RIP },
	{ "GUEST_RSP", GUEST_RSP },
	{ "GUEST_RFLAGS", GUEST_RFLAGS },
	{ "GUEST_CR0", GUEST_CR0 },
	{ "GUEST_CR3", GUEST_CR3 },
	{ "GUEST_CR4", GUEST_CR4 },
	{ "GUEST_IA32_EFER", GUEST_IA32_EFER },
	{ "GUEST_IA32_PAT", GUEST_IA32_PAT },
	{ "GUEST_DR7", GUEST_DR7 },
	{ "GUEST_CS_SELECTOR", GUEST_CS_SELECTOR },
	{ "GUEST_CS_BASE", GUEST_CS_BASE },
	{ "GUEST_CS_AR_BYTES", GUEST_CS_AR_BYTES },
	{ "GUEST_GDTR_BASE", GUEST_GDTR_BASE },
	{ "GUEST_IDTR_BASE", GUEST_IDTR_BASE },
	{ "GUEST_SYSENTER_CS", GUEST_SYSENTER_CS },
	{ "GUEST_SYSENTER_ESP", GUEST_SYSENTER_ESP },
	{ "GUEST_SYSENTER_EIP", GUEST_SYSENTER_EIP },
	{ "GUEST_INTERRUPTIBILITY_INFO", GUEST_INTERRUPTIBILITY_INFO },
	{ "GUEST_ACTIVITY_STATE", GUEST_ACTIVITY_STATE },
	{ "VM_ENTRY_INTR_INFO_FIELD", VM_ENTRY_INTR_INFO_FIELD },
	{ "VM_ENTRY_EXCEPTION_ERROR_CODE", VM_ENTRY_EXCEPTION_ERROR_CODE },
	{ "VM_EXIT_REASON", VM_EXIT_REASON },
	{ "EXIT_QUALIFICATION", EXIT_QUALIFICATION },
	{ "VM_EXIT_INTR_INFO", VM_EXIT_INTR_INFO },
	{ "VM_EXIT_INTR_ERROR_CODE", VM_EXIT_INTR_ERROR_CODE },
	{ "VM_EXIT_INSTRUCTION_LEN", VM_EXIT_INSTRUCTION_LEN },
	{ "GUEST_LINEAR_ADDRESS", GUEST_LINEAR_ADDRESS },
	{ "GUEST_PHYSICAL_ADDRESS", GUEST_PHYSICAL_ADDRESS },
	{ "VM_INSTRUCTION_ERROR", VM_INSTRUCTION_ERROR },
};

static void mon_vmcs(const struct sv_monitor *mon, const char *args, GString *out)
{
	struct vcpu *v = sv_monitor_vcpu(mon, args, out);
	struct cpu_x86 *c;

	if (!v)
		return;
	if (mon->d->arch != HV_ARCH_X86_64) {
		g_string_append(out, "info vmcs is for x86_64 guests (POWER: info hvspr)\n");
		return;
	}
	c = cpu_x86_of(v->cpu);
	g_string_append_printf(out, "vcpu %u VMCS:\n", v->id);
	for (unsigned i = 0; i < G_N_ELEMENTS(sv_vmcs_fields); i++)
		g_string_append_printf(out, "  %-30s (0x%04x) 0x%" PRIx64 "\n",
				       sv_vmcs_fields[i].name, sv_vmcs_fields[i].field,
				       cpu_x86_vmcs_read(c, sv_vmcs_fields[i].field));
}

static void mon_hvspr(const struct sv_monitor *mon, const char *args, GString *out)
{
	struct vcpu *v = sv_monitor_vcpu(mon, args, out);
	struct cpu_ppc *c;

	if (!v)
		return;
	if (mon->d->arch != HV_ARCH_PPC64) {
		g_string_append(out, "info hvspr is for ppc64 guests (x86: info vmcs)\n");
		return;
	}
	c = cpu_ppc_of(v->cpu);
	g_string_append_printf(
		out,
		"vcpu %u hypervisor state:\n"
		"  MSR    0x%016" PRIx64 "  LPCR   0x%016" PRIx64 "  LPIDR  0x%" PRIx64 "\n"
		"  HSRR0  0x%016" PRIx64 "  HSRR1  0x%016" PRIx64 "\n"
		"  HDAR   0x%016" PRIx64 "  HDSISR 0x%016" PRIx64 "  ASDR   0x%" PRIx64 "\n"
		"  HEIR   0x%016" PRIx64 "  HDEC   0x%016" PRIx64 "  HRMOR  0x%" PRIx64 "\n"
		"  HSPRG0 0x%016" PRIx64 "  HSPRG1 0x%016" PRIx64 "  HFSCR  0x%" PRIx64 "\n"
		"  PTCR   0x%016" PRIx64 "  SDR1   0x%016" PRIx64 "  AMOR   0x%" PRIx64 "\n"
		"  HMER   0x%016" PRIx64 "  HMEER  0x%016" PRIx64 "  PCR    0x%" PRIx64 "\n"
		"  PVR    0x%016" PRIx64 "  PIR    0x%016" PRIx64 "  TB offset 0x%" PRIx64 "\n"
		"  last HV interrupt vector 0x%x\n",
		v->id, c->msr, c->lpcr, c->lpidr, c->hsrr0, c->hsrr1, c->hdar, c->hdsisr, c->asdr,
		c->heir, cpu_ppc_get_hdec(c), c->hrmor, c->hsprg[0], c->hsprg[1], c->hfscr, c->ptcr,
		c->sdr1, c->amor, c->hmer, c->hmeer, c->pcr, c->pvr, c->pir, c->tb_offset,
		c->hv_vector);
}

static void mon_p2m(const struct sv_monitor *mon, const char *args, GString *out)
{
	struct machmem *mem = &mon->d->hv->mem;
	struct p2m_entry e;
	uint64_t gfn;

	if (!sv_monitor_number(args, &gfn)) {
		g_string_append(out, "usage: p2m GFN (a guest frame number, e.g. 0xfeff0)\n");
		return;
	}
	if (!p2m_lookup(mon->d->p2m, gfn, &e)) {
		g_string_append_printf(out, "gfn 0x%" PRIx64 ": not mapped\n", gfn);
		return;
	}
	g_string_append_printf(
		out, "gfn 0x%" PRIx64 ": %s %s 0x%" PRIx64 " %c%c%c%s", gfn, p2m_type_name(e.type),
		e.type == P2M_MMIO ? "region" : "mfn", e.mfn, e.access & P2M_ACCESS_R ? 'r' : '-',
		e.access & P2M_ACCESS_W ? 'w' : '-', e.access & P2M_ACCESS_X ? 'x' : '-',
		e.flags & P2M_F_CODE ? " code" : "");
	if (e.type != P2M_MMIO && e.mfn < mem->n_frames)
		g_string_append_printf(out, " (frame owner d%u, %u refs)", mem->frames[e.mfn].owner,
				       mem->frames[e.mfn].refs);
	g_string_append_c(out, '\n');
}

static void mon_evtchn(const struct sv_monitor *mon, const char *args, GString *out)
{
	static const char *const state[] = { "closed", "unbound", "interdomain",
					     "pirq",   "virq",    "ipi" };
	struct domain *d = mon->d;
	unsigned shown = 0;

	g_string_append_printf(out, "d%u event channels: %s ABI, %u ports\n", d->domid,
			       d->evtchn_ops->name, d->n_evtchn);
	for (uint32_t p = 1; p < d->n_evtchn; p++) {
		const struct hv_evtchn *c = &d->evtchn[p];

		if (c->state == EVTCHNSTAT_closed || c->reserved)
			continue;
		g_string_append_printf(out, "  port %u: %s", p,
				       c->state < G_N_ELEMENTS(state) ? state[c->state] : "?");
		if (c->state == EVTCHNSTAT_interdomain)
			g_string_append_printf(out, " d%u", c->remote_domid);
		if (c->state == EVTCHNSTAT_interdomain && c->be)
			g_string_append_printf(out, " (backend %s)", c->be->name);
		else if (c->state == EVTCHNSTAT_interdomain)
			g_string_append_printf(out, " port %u", c->remote_port);
		if (c->state == EVTCHNSTAT_unbound)
			g_string_append_printf(out, " for d%u", c->remote_domid);
		if (c->state == EVTCHNSTAT_virq)
			g_string_append_printf(out, " virq %u", c->virq);
		g_string_append_printf(out, " vcpu %u pending %d masked %d", c->notify_vcpu,
				       d->evtchn_ops->is_pending(d, p),
				       d->evtchn_ops->is_masked(d, p));
		if (d->evtchn_ops->has_priorities)
			g_string_append_printf(out, " priority %u", c->priority);
		g_string_append_c(out, '\n');
		if (++shown == 256) {
			g_string_append(out, "  ... (first 256 open ports shown)\n");
			break;
		}
	}
}

static void mon_gnttab(const struct sv_monitor *mon, const char *args, GString *out)
{
	struct domain *d = mon->d;
	struct hv_gnttab *gt = d->gnttab;
	unsigned esize, shown = 0, maps = 0;

	if (!gt) {
		g_string_append(out, "no grant table\n");
		return;
	}
	/* v1 entries: u16 flags, u16 domid, u32 frame; v2: u16 flags, u16
	 * domid, u32 pad, u64 frame (public/grant_table.h). */
	esize = gt->version == 2 ? 16 : 8;
	g_string_append_printf(out, "d%u grant table v%u, %u frame(s)\n", d->domid, gt->version,
			       gt->nr_frames);
	for (unsigned f = 0; f < gt->nr_frames; f++) {
		const uint8_t *page = machmem_ptr(&d->hv->mem, gt->mfn[f]);

		g_string_append_printf(out, "  frame %u: mfn 0x%" PRIx64 " gfn ", f, gt->mfn[f]);
		if (gt->gfn[f] == HV_GFN_NONE)
			g_string_append(out, "(not mapped)\n");
		else
			g_string_append_printf(out, "0x%" PRIx64 "\n", gt->gfn[f]);
		for (unsigned i = 0; i < SV_PAGE_SIZE / esize && shown < 64; i++) {
			const uint8_t *e = page + i * esize;
			uint32_t fd = hv_shared_u32(d, e);
			uint16_t flags = d->big_endian ? (uint16_t)(fd >> 16) : (uint16_t)fd;
			uint16_t dom = d->big_endian ? (uint16_t)fd : (uint16_t)(fd >> 16);
			uint64_t frame =
				esize == 16 ? hv_shared_u64(d, e + 8) : hv_shared_u32(d, e + 4);

			if (!flags)
				continue;
			g_string_append_printf(
				out, "    ref %u: flags 0x%04x to d%u frame 0x%" PRIx64 "\n",
				f * (unsigned)(SV_PAGE_SIZE / esize) + i, flags, dom, frame);
			shown++;
		}
	}
	for (unsigned i = 0; i < HV_GNTTAB_MAPTRACK; i++) {
		const struct hv_gnttab_map *mt = &gt->maptrack[i];

		if (!mt->used)
			continue;
		if (maps++ < 64)
			g_string_append_printf(out, "  mapped: d%u ref %u at gfn 0x%" PRIx64 "%s\n",
					       mt->domid, mt->ref, mt->gfn,
					       mt->readonly ? " ro" : "");
	}
	g_string_append_printf(out, "  %u grant(s) this domain has mapped\n", maps);
}

static void mon_savevm(const struct sv_monitor *mon, const char *args, GString *out)
{
	char *text;

	if (!*args) {
		g_string_append(out, "usage: savevm FILE\n");
		return;
	}
	if (!mon->savevm) {
		g_string_append(out, "savevm is not available in this run\n");
		return;
	}
	text = mon->savevm(mon->opaque, args);
	g_string_append(out, text);
	g_free(text);
}

static void mon_help(const struct sv_monitor *mon, const char *args, GString *out);

static const struct sv_monitor_cmd sv_monitor_cmds[] = {
	{ "help", "", "this list", mon_help },
	{ "info domains", "", "domains: personality, vcpus, memory, state, ABIs", mon_domains },
	{ "info vcpus", "", "the vcpus (gdb threads): pc, icount, exits, idle time, state",
	  mon_vcpus },
	{ "info exits", "", "exit and hypercall counters (as --stats)", mon_exits },
	{ "info stats", "", "the same", mon_exits },
	{ "info vmcs", "[VCPU]", "x86: the software VMCS's controls, guest state, last exit",
	  mon_vmcs },
	{ "info hvspr", "[VCPU]", "POWER: the hypervisor SPRs (LPCR, HSRR0/1, HDAR, ...)",
	  mon_hvspr },
	{ "info evtchn", "", "the event channel table (state, vcpu, pending, masked)", mon_evtchn },
	{ "info gnttab", "", "the grant table: frames, active entries, mapped grants", mon_gnttab },
	{ "p2m", "GFN", "the p2m entry of a guest frame (type, mfn, access, frame refs)", mon_p2m },
	{ "savevm", "FILE", "save a snapshot to FILE when the guest next runs (--restore=FILE)",
	  mon_savevm },
};

static void mon_help(const struct sv_monitor *mon, const char *args, GString *out)
{
	g_string_append(out, "monitor commands:\n");
	for (unsigned i = 0; i < G_N_ELEMENTS(sv_monitor_cmds); i++) {
		char *head =
			g_strdup_printf("%s %s", sv_monitor_cmds[i].name, sv_monitor_cmds[i].args);

		g_string_append_printf(out, "  %-20s %s\n", head, sv_monitor_cmds[i].help);
		g_free(head);
	}
}

char *sv_monitor_run(const struct sv_monitor *mon, const char *cmd)
{
	GString *out = g_string_new(NULL);
	char *line = g_strstrip(g_strdup(cmd));

	for (unsigned i = 0; i < G_N_ELEMENTS(sv_monitor_cmds); i++) {
		const struct sv_monitor_cmd *c = &sv_monitor_cmds[i];
		size_t n = strlen(c->name);

		if (strncmp(line, c->name, n) || (line[n] && line[n] != ' '))
			continue;
		c->fn(mon, g_strchug(line + n), out);
		g_free(line);
		return g_string_free(out, FALSE);
	}
	g_string_append_printf(out, "unknown command '%s'; ", line);
	mon_help(mon, "", out);
	g_free(line);
	return g_string_free(out, FALSE);
}
