/*
 * The PAPR hypercall table (see papr.h). One row per hcall; a missing row is
 * H_FUNCTION, as on a real hypervisor for a call it does not offer (the
 * device tree's ibm,hypertas-functions lists only the sets implemented).
 */
#include "hv/ppc/papr.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/ppc/ppc.h"
#include "hv/ppc/rtas.h"
#include "sv/snap.h"

#define PAPR_SLOTS (PAPR_HCALL_MAX / 4 + 1 + PAPR_PRIVATE_COUNT)

long papr_hcall_index(uint64_t nr)
{
	if (nr <= PAPR_HCALL_MAX && !(nr & 3))
		return (long)(nr / 4);
	if (nr >= PAPR_PRIVATE_BASE && nr < PAPR_PRIVATE_BASE + 4 * PAPR_PRIVATE_COUNT && !(nr & 3))
		return (long)(PAPR_HCALL_MAX / 4 + 1 + (nr - PAPR_PRIVATE_BASE) / 4);
	return -1;
}

#define PAPR_ROW(nr, n, f, args) [(nr) / 4] = { .name = n, .fn = f, .nargs = args }
#define PAPR_PRIVATE_ROW(nr, n, f, args)                                                           \
	[PAPR_HCALL_MAX / 4 + 1 +                                                                  \
		((nr)-PAPR_PRIVATE_BASE) / 4] = { .name = n, .fn = f, .nargs = args }

static const struct hv_hypercall papr_entries[PAPR_SLOTS] = {
	PAPR_ROW(H_REMOVE, "H_REMOVE", do_h_remove, 3),
	PAPR_ROW(H_ENTER, "H_ENTER", do_h_enter, 4),
	PAPR_ROW(H_READ, "H_READ", do_h_read, 2),
	PAPR_ROW(H_CLEAR_MOD, "H_CLEAR_MOD", do_h_clear_mod, 2),
	PAPR_ROW(H_CLEAR_REF, "H_CLEAR_REF", do_h_clear_ref, 2),
	PAPR_ROW(H_PROTECT, "H_PROTECT", do_h_protect, 3),
	PAPR_ROW(H_SET_SPRG0, "H_SET_SPRG0", do_h_set_sprg0, 1),
	PAPR_ROW(H_SET_DABR, "H_SET_DABR", do_h_set_dabr, 1),
	PAPR_ROW(H_PAGE_INIT, "H_PAGE_INIT", do_h_page_init, 3),
	PAPR_ROW(H_GET_TERM_CHAR, "H_GET_TERM_CHAR", do_h_get_term_char, 1),
	PAPR_ROW(H_PUT_TERM_CHAR, "H_PUT_TERM_CHAR", do_h_put_term_char, 4),
	PAPR_ROW(H_EOI, "H_EOI", do_h_eoi, 1),
	PAPR_ROW(H_CPPR, "H_CPPR", do_h_cppr, 1),
	PAPR_ROW(H_IPI, "H_IPI", do_h_ipi, 2),
	PAPR_ROW(H_IPOLL, "H_IPOLL", do_h_ipoll, 1),
	PAPR_ROW(H_XIRR, "H_XIRR", do_h_xirr, 0),
	PAPR_ROW(H_REGISTER_VPA, "H_REGISTER_VPA", do_h_register_vpa, 3),
	PAPR_ROW(H_CEDE, "H_CEDE", do_h_cede, 0),
	PAPR_ROW(H_CONFER, "H_CONFER", do_h_confer, 2),
	PAPR_ROW(H_PROD, "H_PROD", do_h_prod, 1),
	PAPR_ROW(H_BULK_REMOVE, "H_BULK_REMOVE", do_h_bulk_remove, 6),
	PAPR_ROW(H_SET_XDABR, "H_SET_XDABR", do_h_set_xdabr, 2),
	PAPR_ROW(H_GET_CPU_CHARACTERISTICS, "H_GET_CPU_CHARACTERISTICS",
		 do_h_get_cpu_characteristics, 0),
	PAPR_ROW(H_HOME_NODE_ASSOCIATIVITY, "H_HOME_NODE_ASSOCIATIVITY",
		 do_h_home_node_associativity, 2),
	PAPR_ROW(H_XIRR_X, "H_XIRR_X", do_h_xirr_x, 0),
	PAPR_ROW(H_RANDOM, "H_RANDOM", do_h_random, 0),
	PAPR_ROW(H_SET_MODE, "H_SET_MODE", do_h_set_mode, 4),
	PAPR_ROW(H_REGISTER_PROC_TBL, "H_REGISTER_PROC_TBL", do_h_register_proc_tbl, 4),
	PAPR_PRIVATE_ROW(KVMPPC_H_RTAS, "KVMPPC_H_RTAS", do_h_rtas, 1),
};

const struct hv_hypercall_table papr_hypercall_table = {
	.personality = "papr",
	.entries = papr_entries,
	.n = PAPR_SLOTS,
	.index = papr_hcall_index,
	.hex = true,
	.unknown = H_FUNCTION,
	.eperm = H_PRIVILEGE,
};

const struct hv_personality_ops hv_papr_personality = {
	.name = "papr",
	.hypercalls = &papr_hypercall_table,
	.domain_init = papr_domain_init,
	.domain_destroy = papr_domain_destroy,
};

/*
 * H_PUT_TERM_CHAR(termno, len, chars[0..7], chars[8..15]): up to 16 bytes,
 * packed big-endian in two registers whatever the guest's byte order.
 */
long do_h_put_term_char(struct vcpu *v, const uint64_t a[6])
{
	uint8_t buf[16];

	if (a[0] != PAPR_VTERM_NO || a[1] > 16)
		return H_PARAMETER;
	st64_be_p(buf, a[2]);
	st64_be_p(buf + 8, a[3]);
	hv_console_write(v->d, (const char *)buf, (size_t)a[1]);
	return H_SUCCESS;
}

/* H_GET_TERM_CHAR(termno) -> r4 = count (0..16), r5/r6 = the characters
 * packed big-endian as in H_PUT_TERM_CHAR, from the console input the
 * frontend delivered (hv_console_read). */
long do_h_get_term_char(struct vcpu *v, const uint64_t a[6])
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	uint8_t buf[16] = { 0 };
	size_t n;

	if (a[0] != PAPR_VTERM_NO)
		return H_PARAMETER;
	n = hv_console_read(v->d, (char *)buf, sizeof(buf), false);
	c->gpr[4] = n;
	c->gpr[5] = ld64_be_p(buf);
	c->gpr[6] = ld64_be_p(buf + 8);
	return H_SUCCESS;
}

long do_h_rtas(struct vcpu *v, const uint64_t a[6])
{
	return hv_ppc_rtas_call(v, a[0]);
}

/*
 * Snapshots (hv_arch_ops.domain_save/load): the partition's state beyond
 * guest memory: MMU mode (radix, GTSE; the HPT and partition table are hv
 * frames, saved with the machine's), H_RANDOM's generator, the XICS sources
 * and each vcpu's presentation controller, VPA/SLB shadow/DTL registrations,
 * DABR, prod and confer state, and the NVRAM. None of it exists under the
 * Xen personality on POWER.
 */
void papr_domain_save(struct domain *d, struct sv_snap_w *w)
{
	struct papr_domain *p = d->papr;

	sv_snap_put_bool(w, p != NULL);
	if (!p)
		return;
	sv_snap_put_u32(w, p->hpt_shift);
	sv_snap_put_bool(w, p->radix);
	sv_snap_put_bool(w, p->gtse);
	sv_snap_put_u64(w, p->rng);
	sv_snap_put_bytes(w, p->ics, sizeof(p->ics));
	sv_snap_put_u32(w, p->n_vcpus);
	sv_snap_put_bytes(w, p->vcpus, p->n_vcpus * sizeof(*p->vcpus));
	sv_snap_put_bool(w, p->nvram != NULL);
	if (p->nvram)
		sv_snap_put_bytes(w, p->nvram, PAPR_NVRAM_SIZE);
}

int papr_domain_load(struct domain *d, struct sv_snap_r *r)
{
	struct papr_domain *p = d->papr;
	uint32_t shift = 0, n = 0;
	bool on = false, nv = false;

	if (!sv_snap_get_bool(r, &on))
		return -EINVAL;
	if (on != (p != NULL))
		return sv_snap_fail(r, "the snapshot's platform is not this machine's");
	if (!p)
		return 0;
	if (!sv_snap_get_u32(r, &shift) || shift != p->hpt_shift)
		return sv_snap_fail(r, "another hashed page table size");
	if (!sv_snap_get_bool(r, &p->radix) || !sv_snap_get_bool(r, &p->gtse) ||
	    !sv_snap_get_u64(r, &p->rng) || !sv_snap_get_bytes(r, p->ics, sizeof(p->ics)) ||
	    !sv_snap_get_u32(r, &n))
		return -EINVAL;
	if (n != p->n_vcpus)
		return sv_snap_fail(r, "%u PAPR vcpus saved, %u here", n, p->n_vcpus);
	if (!sv_snap_get_bytes(r, p->vcpus, n * sizeof(*p->vcpus)) || !sv_snap_get_bool(r, &nv))
		return -EINVAL;
	if (nv != (p->nvram != NULL))
		return sv_snap_fail(r, "NVRAM presence differs");
	if (nv && !sv_snap_get_bytes(r, p->nvram, PAPR_NVRAM_SIZE))
		return -EINVAL;
	for (unsigned i = 0; i < n; i++)
		if (p->vcpus[i].confer_to < PAPR_CONFER_NONE ||
		    p->vcpus[i].confer_to >= (int)d->n_vcpus)
			return sv_snap_fail(r, "bad H_CONFER target of vcpu %u", i);
	return 0;
}
