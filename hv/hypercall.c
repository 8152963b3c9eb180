/*
 * Hypercall dispatch: validation order, trace and statistics in one place.
 */
#include "hv/hypercall.h"

#include <inttypes.h>

const struct hv_hypercall *hv_hypercall_lookup(const struct hv_hypercall_table *t, uint64_t nr)
{
	long idx = t->index ? t->index(nr) : (nr < t->n ? (long)nr : -1);

	return idx >= 0 && idx < (long)t->n ? &t->entries[idx] : NULL;
}

const char *hv_hypercall_subop_name(const struct hv_hypercall *h, uint64_t a0)
{
	uint64_t op;

	if (!h || !h->subops)
		return NULL;
	op = a0 & h->subop_mask;
	return op < h->n_subops ? h->subops[op] : NULL;
}

/* One more call of nr (and of its sub-operation, if it names one). */
static void hv_hypercall_count(struct domain *d, const struct hv_hypercall *h, uint64_t nr,
			       uint64_t a0)
{
	gpointer key = GSIZE_TO_POINTER((gsize)nr);

	g_hash_table_insert(
		d->stats.hypercalls, key,
		GSIZE_TO_POINTER(GPOINTER_TO_SIZE(g_hash_table_lookup(d->stats.hypercalls, key)) +
				 1));
	if (hv_hypercall_subop_name(h, a0)) {
		key = GSIZE_TO_POINTER((gsize)(nr * HV_STATS_SUBOPS + (a0 & h->subop_mask)));
		g_hash_table_insert(d->stats.hypercall_subops, key,
				    GSIZE_TO_POINTER(GPOINTER_TO_SIZE(g_hash_table_lookup(
							     d->stats.hypercall_subops, key)) +
						     1));
	}
}

long hv_hypercall_dispatch(struct vcpu *v, const struct hv_hypercall_table *t, uint64_t nr,
			   const uint64_t args[6], bool user_mode)
{
	struct domain *d = v->d;
	struct trace *tr = &d->hv->trace;
	const struct hv_hypercall *h = hv_hypercall_lookup(t, nr);
	const char *subop = hv_hypercall_subop_name(h, args[0]);
	long rc;

	hv_hypercall_count(d, h, nr, args[0]);

	v->hcall_preempted = false;
	/* 1. Unknown number. */
	if (!h || !h->fn)
		rc = t->unknown;
	/* 2. User-mode caller: rejected before any work. */
	else if (user_mode)
		rc = t->eperm;
	/* 3. Privileged operations: guests are never the control domain. */
	else if (h->flags & HV_HC_PRIV)
		rc = t->eperm;
	else
		rc = h->fn(v, args);

	if (rc < 0)
		d->stats.hypercall_errors++;
	if (trace_on(tr, TRACE_HYPERCALLS)) {
		unsigned n = h ? h->nargs : 6;
		GString *s = g_string_new(NULL);
		char num[24];

		g_snprintf(num, sizeof(num), t->hex ? "0x%" PRIx64 : "%" PRIu64, nr);
		for (unsigned i = 0; i < n && i < 6; i++)
			g_string_append_printf(s, "%s0x%" PRIx64, i ? ", " : "", args[i]);
		if (v->hcall_preempted) {
			/* "= continuation(new arguments)" */
			g_string_append(s, ") = continuation(");
			for (unsigned i = 0; i < n && i < 6; i++)
				g_string_append_printf(s, "%s0x%" PRIx64, i ? ", " : "",
						       v->hcall_args[i]);
			trace_printf(tr, "%" PRIu64 " d%uv%u HYPERCALL %s %s%s%s(%s)\n",
				     cpu_icount(v->cpu), d->domid, v->id, num,
				     h && h->name ? h->name : "unknown", subop ? ":" : "",
				     subop ? subop : "", s->str);
		} else {
			trace_printf(tr, "%" PRIu64 " d%uv%u HYPERCALL %s %s%s%s(%s)%s = %ld\n",
				     cpu_icount(v->cpu), d->domid, v->id, num,
				     h && h->name ? h->name : "unknown", subop ? ":" : "",
				     subop ? subop : "", s->str, user_mode ? " [user]" : "", rc);
		}
		g_string_free(s, TRUE);
	}
	return rc;
}

long hv_hypercall_create_continuation(struct vcpu *v, const uint64_t a[6])
{
	v->hcall_preempted = true;
	memcpy(v->hcall_args, a, sizeof(v->hcall_args));
	return 0;
}
