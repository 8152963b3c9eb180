/*
 * Hypercall dispatch: validation order, trace and statistics in one place.
 */
#include "hv/hypercall.h"

#include <inttypes.h>

long hv_hypercall_dispatch(struct vcpu *v, const struct hv_hypercall_table *t, uint64_t nr,
			   const uint64_t args[6], bool user_mode)
{
	struct domain *d = v->d;
	struct trace *tr = &d->hv->trace;
	const struct hv_hypercall *h = nr < t->n ? &t->entries[nr] : NULL;
	long rc;

	if (nr < G_N_ELEMENTS(d->stats.hypercalls))
		d->stats.hypercalls[nr]++;
	else
		d->stats.hypercalls_other++;

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
		for (unsigned i = 0; i < n && i < 6; i++)
			g_string_append_printf(s, "%s0x%" PRIx64, i ? ", " : "", args[i]);
		trace_printf(tr, "%" PRIu64 " d%uv%u HYPERCALL %" PRIu64 " %s(%s)%s = %ld\n",
			     cpu_icount(v->cpu), d->domid, v->id, nr,
			     h && h->name ? h->name : "unknown", s->str, user_mode ? " [user]" : "",
			     rc);
		g_string_free(s, TRUE);
	}
	return rc;
}
