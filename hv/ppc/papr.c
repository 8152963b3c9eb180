/*
 * The PAPR hypercall table (see papr.h). One row per hcall; a missing row is
 * H_FUNCTION, as on a real hypervisor for a call it does not offer (the
 * device tree's ibm,hypertas-functions lists only the sets implemented).
 */
#include "hv/ppc/papr.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/ppc/ppc.h"
#include "hv/ppc/rtas.h"

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
	PAPR_ROW(H_GET_TERM_CHAR, "H_GET_TERM_CHAR", do_h_get_term_char, 1),
	PAPR_ROW(H_PUT_TERM_CHAR, "H_PUT_TERM_CHAR", do_h_put_term_char, 4),
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

/* H_GET_TERM_CHAR(termno) -> r4 = count, r5/r6 = chars: no console input
 * exists yet, so always 0 characters. */
long do_h_get_term_char(struct vcpu *v, const uint64_t a[6])
{
	struct cpu_ppc *c = hv_ppc_cpu(v);

	if (a[0] != PAPR_VTERM_NO)
		return H_PARAMETER;
	c->gpr[4] = 0;
	c->gpr[5] = 0;
	c->gpr[6] = 0;
	return H_SUCCESS;
}

long do_h_rtas(struct vcpu *v, const uint64_t a[6])
{
	return hv_ppc_rtas_call(v, a[0]);
}
