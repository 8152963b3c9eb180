/*
 * The hypervisor in a snapshot (include/sv/snap.h).
 *
 * hv_save writes, in this order: the machine frames (owner, references,
 * free list, non-zero contents: mmu/machmem.c), then per domain its p2m
 * (mmu/p2m.c), its own fields (shutdown state, the unflushed console line,
 * vm_assist, reservation, shared_info, HVM params, watchdog timers), its event channels
 * (hv/evtchn.c, hv/evtchn_fifo.c), its grant table (hv/grant_table.c), the
 * arch's domain state (hv_arch_ops.domain_save: the PAPR partition), and
 * each vcpu: blocking, timers, clock offset (idle_ns), vcpu_info and guest
 * areas, VIRQ bindings, the CPU (cpu/snapshot.c) and the arch's vcpu state
 * (hv_arch_ops.vcpu_save: the x86 local APIC).
 *
 * hv_load fills a machine built from the same image and options (so every
 * object, MMIO region and backend exists): machine frames first, since
 * every other holder of a frame reference only names its frame; then the
 * rest overwrites what the build set up. The TB cache is dropped and the
 * TLBs flushed. Statistics (--stats counters) start again from zero.
 */
#include "hv/hv.h"
#include "hv/evtchn.h"
#include "hv/grant_table.h"
#include "cpu/tb.h"
#include "sv/snap.h"

#include <errno.h>
#include <inttypes.h>

static void hv_vcpu_save(struct vcpu *v, struct sv_snap_w *w)
{
	sv_snap_put_u32(w, v->id);
	sv_snap_put_bool(w, v->blocked);
	sv_snap_put_u64(w, v->n_exits);
	sv_snap_put_bool(w, v->down);
	sv_snap_put_bool(w, v->initialised);
	sv_snap_put_bool(w, v->hcall_preempted);
	sv_snap_put_bytes(w, v->hcall_args, sizeof(v->hcall_args));
	sv_snap_put_u32(w, v->block);
	sv_snap_put_u64(w, v->poll_timeout_ns);
	sv_snap_put_u32(w, v->n_poll_ports);
	sv_snap_put_bytes(w, v->poll_ports, sizeof(v->poll_ports));
	sv_snap_put_u64(w, (uint64_t)v->vcpu_info_mfn);
	sv_snap_put_u32(w, v->vcpu_info_off);
	sv_snap_put_bool(w, v->upcall_latched);
	sv_snap_put_u8(w, v->upcall_vector);
	sv_snap_put_u64(w, v->singleshot_ns);
	sv_snap_put_u64(w, v->periodic_period_ns);
	sv_snap_put_u64(w, v->periodic_next_ns);
	sv_snap_put_u64(w, v->idle_ns);
	sv_snap_put_bytes(w, &v->time_area, sizeof(v->time_area));
	sv_snap_put_bytes(w, &v->runstate_area, sizeof(v->runstate_area));
	sv_snap_put_bytes(w, v->virq_to_port, sizeof(v->virq_to_port));
	sv_snap_put_bool(w, v->yielded);
	cpu_save(v->cpu, w);
	if (v->arch->vcpu_save)
		v->arch->vcpu_save(v, w);
}

static bool hv_area_ok(const struct hv_guest_area *a)
{
	return !a->on || (a->len <= SV_PAGE_SIZE && a->len0 <= a->len);
}

static int hv_vcpu_load(struct vcpu *v, struct sv_snap_r *r)
{
	uint32_t id = 0, block = 0;
	uint64_t mfn = 0;
	int rc;

	if (!sv_snap_get_u32(r, &id) || id != v->id)
		return sv_snap_fail(r, "vcpu %u expected", v->id);
	if (!sv_snap_get_bool(r, &v->blocked) || !sv_snap_get_u64(r, &v->n_exits) ||
	    !sv_snap_get_bool(r, &v->down) || !sv_snap_get_bool(r, &v->initialised) ||
	    !sv_snap_get_bool(r, &v->hcall_preempted) ||
	    !sv_snap_get_bytes(r, v->hcall_args, sizeof(v->hcall_args)) ||
	    !sv_snap_get_u32(r, &block) || !sv_snap_get_u64(r, &v->poll_timeout_ns) ||
	    !sv_snap_get_u32(r, &v->n_poll_ports) ||
	    !sv_snap_get_bytes(r, v->poll_ports, sizeof(v->poll_ports)) ||
	    !sv_snap_get_u64(r, &mfn) || !sv_snap_get_u32(r, &v->vcpu_info_off) ||
	    !sv_snap_get_bool(r, &v->upcall_latched) || !sv_snap_get_u8(r, &v->upcall_vector) ||
	    !sv_snap_get_u64(r, &v->singleshot_ns) || !sv_snap_get_u64(r, &v->periodic_period_ns) ||
	    !sv_snap_get_u64(r, &v->periodic_next_ns) || !sv_snap_get_u64(r, &v->idle_ns) ||
	    !sv_snap_get_bytes(r, &v->time_area, sizeof(v->time_area)) ||
	    !sv_snap_get_bytes(r, &v->runstate_area, sizeof(v->runstate_area)) ||
	    !sv_snap_get_bytes(r, v->virq_to_port, sizeof(v->virq_to_port)) ||
	    !sv_snap_get_bool(r, &v->yielded))
		return -EINVAL;
	v->block = block;
	v->vcpu_info_mfn = (int64_t)mfn;
	if (block > HV_BLOCK_ARCH || v->n_poll_ports > HV_POLL_MAX_PORTS ||
	    (v->vcpu_info_mfn >= 0 && !machmem_valid(&v->d->hv->mem, mfn)) ||
	    v->vcpu_info_off > SV_PAGE_SIZE - 64 || !hv_area_ok(&v->time_area) ||
	    !hv_area_ok(&v->runstate_area))
		return sv_snap_fail(r, "bad state of vcpu %u", v->id);
	if ((rc = cpu_load(v->cpu, r)) < 0)
		return rc;
	if (v->arch->vcpu_load && (rc = v->arch->vcpu_load(v, r)) < 0)
		return rc;
	return 0;
}

static void hv_domain_save(struct domain *d, struct sv_snap_w *w)
{
	sv_snap_put_u16(w, d->domid);
	sv_snap_put_u32(w, d->arch);
	sv_snap_put_u32(w, d->personality);
	sv_snap_put_u32(w, d->n_vcpus);
	sv_snap_put_u64(w, d->ram_bytes);
	p2m_save(d->p2m, w);
	sv_snap_put_bool(w, d->shut_down);
	sv_snap_put_u32(w, d->shutdown_reason);
	sv_snap_put_u32(w, d->shutdown_code);
	sv_snap_put_str(w, d->crash_msg);
	sv_snap_put_str(w, d->console_line->str);
	sv_snap_put_bool(w, d->big_endian);
	sv_snap_put_u64(w, d->vm_assist);
	sv_snap_put_u64(w, d->tot_pages);
	sv_snap_put_u64(w, d->max_pages);
	sv_snap_put_u64(w, d->shared_info_mfn);
	sv_snap_put_u64(w, d->shared_info_gfn);
	sv_snap_put_bytes(w, d->hvm_params, sizeof(d->hvm_params));
	sv_snap_put_bytes(w, d->watchdog_ns, sizeof(d->watchdog_ns));
	sv_snap_put_u16(w, d->target);
	hv_evtchn_save(d, w);
	hv_evtchn_fifo_save(d, w);
	hv_gnttab_save(d, w);
	if (d->vcpus[0]->arch->domain_save)
		d->vcpus[0]->arch->domain_save(d, w);
	for (unsigned i = 0; i < d->n_vcpus; i++)
		hv_vcpu_save(d->vcpus[i], w);
}

static int hv_domain_load(struct domain *d, struct sv_snap_r *r)
{
	uint32_t arch = 0, pers = 0, n_vcpus = 0;
	uint64_t ram = 0;
	uint16_t domid = 0;
	char *s = NULL;
	int rc;

	if (!sv_snap_get_u16(r, &domid) || !sv_snap_get_u32(r, &arch) ||
	    !sv_snap_get_u32(r, &pers) || !sv_snap_get_u32(r, &n_vcpus) ||
	    !sv_snap_get_u64(r, &ram))
		return -EINVAL;
	if (domid != d->domid || arch != d->arch || pers != d->personality ||
	    n_vcpus != d->n_vcpus || ram != d->ram_bytes)
		return sv_snap_fail(r,
				    "the snapshot's domain %u (%s, %u vcpus, %" PRIu64
				    " bytes) is not this machine's",
				    domid, arch == HV_ARCH_PPC64 ? "ppc64" : "x86_64", n_vcpus,
				    ram);
	if ((rc = p2m_load(d->p2m, r)) < 0)
		return rc;
	if (!sv_snap_get_bool(r, &d->shut_down) || !sv_snap_get_u32(r, &d->shutdown_reason) ||
	    !sv_snap_get_u32(r, &d->shutdown_code) ||
	    !sv_snap_get_str(r, sizeof(d->crash_msg) - 1, &s))
		return -EINVAL;
	g_strlcpy(d->crash_msg, s ? s : "", sizeof(d->crash_msg));
	g_free(s);
	if (!sv_snap_get_str(r, 1 << 20, &s))
		return -EINVAL;
	g_string_assign(d->console_line, s ? s : "");
	g_free(s);
	if (!sv_snap_get_bool(r, &d->big_endian) || !sv_snap_get_u64(r, &d->vm_assist) ||
	    !sv_snap_get_u64(r, &d->tot_pages) || !sv_snap_get_u64(r, &d->max_pages) ||
	    !sv_snap_get_u64(r, &d->shared_info_mfn) || !sv_snap_get_u64(r, &d->shared_info_gfn) ||
	    !sv_snap_get_bytes(r, d->hvm_params, sizeof(d->hvm_params)) ||
	    !sv_snap_get_bytes(r, d->watchdog_ns, sizeof(d->watchdog_ns)) ||
	    !sv_snap_get_u16(r, &d->target))
		return -EINVAL;
	if (!machmem_valid(&d->hv->mem, d->shared_info_mfn))
		return sv_snap_fail(r, "bad shared_info frame");
	if ((rc = hv_evtchn_load(d, r)) < 0 || (rc = hv_evtchn_fifo_load(d, r)) < 0 ||
	    (rc = hv_gnttab_load(d, r)) < 0)
		return rc;
	if (d->vcpus[0]->arch->domain_load && (rc = d->vcpus[0]->arch->domain_load(d, r)) < 0)
		return rc;
	for (unsigned i = 0; i < d->n_vcpus; i++)
		if ((rc = hv_vcpu_load(d->vcpus[i], r)) < 0)
			return rc;
	/* Translations made by the build are stale: translate afresh. */
	tb_cache_flush(d->tbc);
	return 0;
}

/* How many mappings of grant ref of domain domid the machine's domains
 * hold, and how many of them writable. */
static void hv_count_grant_maps(struct hv *hv, uint16_t domid, uint32_t ref, uint32_t *readers,
				uint32_t *writers)
{
	for (unsigned i = 0; i < hv->domains->len; i++) {
		const struct domain *d = g_ptr_array_index(hv->domains, i);

		for (unsigned h = 0; h < HV_GNTTAB_MAPTRACK; h++) {
			const struct hv_gnttab_map *mp = &d->gnttab->maptrack[h];

			if (mp->used && mp->domid == domid && mp->ref == ref) {
				(*readers)++;
				*writers += !mp->readonly;
			}
		}
	}
}

/*
 * The links between domains, once all are loaded: an interdomain event
 * channel's peer is a channel bound back to it (or a domain 0 backend), and
 * every grant mapping names a granting domain's entry pinned at least as
 * often as the machine's mappings of it (backends may hold more pins).
 */
static int hv_links_check(struct hv *hv, struct sv_snap_r *r)
{
	for (unsigned i = 0; i < hv->domains->len; i++) {
		struct domain *d = g_ptr_array_index(hv->domains, i);

		for (uint32_t p = 0; p < d->n_evtchn; p++) {
			const struct hv_evtchn *c = &d->evtchn[p], *pc;
			struct domain *rd;

			if (c->state != EVTCHNSTAT_interdomain || c->remote_domid == 0)
				continue;
			rd = hv_domain_by_id(hv, c->remote_domid);
			pc = rd && c->remote_port < rd->n_evtchn ? &rd->evtchn[c->remote_port] :
								   NULL;
			if (!pc || pc->state != EVTCHNSTAT_interdomain ||
			    pc->remote_domid != d->domid || pc->remote_port != p)
				return sv_snap_fail(r,
						    "d%u's event channel %u: its peer d%u port %u "
						    "is not bound back",
						    d->domid, p, c->remote_domid, c->remote_port);
		}
	}
	for (unsigned i = 0; i < hv->domains->len; i++) {
		struct domain *d = g_ptr_array_index(hv->domains, i);

		for (unsigned h = 0; h < HV_GNTTAB_MAPTRACK; h++) {
			const struct hv_gnttab_map *mp = &d->gnttab->maptrack[h];
			struct domain *gd;
			uint32_t readers = 0, writers = 0;

			if (!mp->used)
				continue;
			gd = hv_domain_by_id(hv, mp->domid);
			if (!gd || mp->ref >= gd->gnttab->n_pins || mp->gfn > P2M_MAX_GFN)
				return sv_snap_fail(r,
						    "d%u's grant mapping %u: no grant d%u ref %u",
						    d->domid, h, mp->domid, mp->ref);
			hv_count_grant_maps(hv, mp->domid, mp->ref, &readers, &writers);
			if (gd->gnttab->pins[mp->ref].readers < readers ||
			    gd->gnttab->pins[mp->ref].writers < writers)
				return sv_snap_fail(
					r,
					"grant d%u ref %u: pinned %u/%u times, mapped "
					"%u/%u",
					mp->domid, mp->ref, gd->gnttab->pins[mp->ref].readers,
					gd->gnttab->pins[mp->ref].writers, readers, writers);
		}
	}
	return 0;
}

void hv_save(struct hv *hv, struct sv_snap_w *w)
{
	machmem_save(&hv->mem, w);
	sv_snap_put_u16(w, hv->next_domid);
	sv_snap_put_u32(w, hv->domains->len);
	for (unsigned i = 0; i < hv->domains->len; i++)
		hv_domain_save(g_ptr_array_index(hv->domains, i), w);
}

int hv_load(struct hv *hv, struct sv_snap_r *r)
{
	uint32_t n = 0;
	int rc;

	if ((rc = machmem_load(&hv->mem, r)) < 0)
		return rc;
	if (!sv_snap_get_u16(r, &hv->next_domid) || !sv_snap_get_u32(r, &n))
		return -EINVAL;
	if (n != hv->domains->len)
		return sv_snap_fail(r, "%u domains saved, this machine has %u", n,
				    hv->domains->len);
	for (unsigned i = 0; i < n; i++)
		if ((rc = hv_domain_load(g_ptr_array_index(hv->domains, i), r)) < 0)
			return rc;
	return hv_links_check(hv, r);
}
