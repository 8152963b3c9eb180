/*
 * Hypercall dispatch and the first Xen hypercalls, through a test vcpu whose
 * guest memory is the toy machine's (identity-mapped).
 */
#include <criterion/criterion.h>

#include "hv/hypercall.h"
#include "hv/xen_abi.h"
#include "toy.h"

static struct hv hv;
static struct domain *d;
static struct vcpu *v;
static struct toy_cpu *tc;
static GString *console;

static unsigned t_data_mmu_idx(struct vcpu *vc)
{
	return 0;
}

static bool t_be;

static bool t_big_endian(struct vcpu *vc)
{
	return t_be;
}

static const char *t_exit_name(uint32_t r)
{
	return "TEST";
}

static const struct hv_arch_ops test_arch = {
	.name = "test",
	.data_mmu_idx = t_data_mmu_idx,
	.guest_big_endian = t_big_endian,
	.exit_name = t_exit_name,
	.exit_tag = "TEST",
};

static void sink(void *opaque, struct domain *dom, const char *buf, size_t len)
{
	g_string_append_len(console, buf, (gssize)len);
}

static void setup(void)
{
	int err;

	cr_assert_eq(hv_init(&hv, 64 << 20), 0);
	d = hv_domain_create(&hv, HV_ARCH_X86_64, HV_PERSONALITY_XEN, 1 << 20, &err);
	cr_assert_not_null(d);
	/* The guest memory the vcpu sees: a toy CPU on the domain's p2m. */
	tc = toy_cpu_new(d->p2m, d->tbc, 0);
	v = hv_vcpu_add(d, &tc->cpu, &test_arch);
	console = g_string_new(NULL);
	hv.console.write = sink;
	t_be = false;
}

static void teardown(void)
{
	cpu_destroy(&tc->cpu);
	hv_destroy(&hv);
	free(tc);
	g_string_free(console, TRUE);
}

TestSuite(hypercall, .init = setup, .fini = teardown);

static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, bool user)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };
	return hv_hypercall_dispatch(v, d->hypercalls, nr, args, user);
}

Test(hypercall, unknown_numbers_get_enosys)
{
	cr_assert_eq(call(__HYPERVISOR_mmu_update, 0, 0, 0, false), -XEN_ENOSYS);
	cr_assert_eq(call(99, 0, 0, 0, false), -XEN_ENOSYS);
	cr_assert_eq(call(UINT64_MAX, 0, 0, 0, false), -XEN_ENOSYS);
	cr_assert_eq(d->stats.hypercall_errors, 3);
	cr_assert_eq(GPOINTER_TO_SIZE(g_hash_table_lookup(
			     d->stats.hypercalls, GSIZE_TO_POINTER(__HYPERVISOR_mmu_update))),
		     1);
	cr_assert_eq(g_hash_table_size(d->stats.hypercalls), 3, "mmu_update, 99, UINT64_MAX");
}

Test(hypercall, user_mode_callers_get_eperm_before_any_work)
{
	p2m_copy_to(d->p2m, 0x100, "hi\n", 3);
	cr_assert_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write, 3, 0x100, true), -XEN_EPERM);
	cr_assert_eq(console->len, 0, "nothing was written");
	cr_assert_eq(call(__HYPERVISOR_xen_version, XENVER_version, 0, 0, true), -XEN_EPERM);
	/* Unknown beats user mode: the number is checked first. */
	cr_assert_eq(call(77, 0, 0, 0, true), -XEN_ENOSYS);
}

Test(hypercall, privileged_ops_are_refused_to_domus)
{
	cr_assert_eq(call(__HYPERVISOR_domctl, 0, 0, 0, false), -XEN_EPERM);
	cr_assert_eq(call(__HYPERVISOR_sysctl, 0, 0, 0, false), -XEN_EPERM);
	cr_assert_eq(call(__HYPERVISOR_platform_op, 0, 0, 0, false), -XEN_EPERM);
}

Test(hypercall, physdev_op_as_xen_answers_a_pvh_domu)
{
	/* map_pirq, eoi, irq_status_query, get_free_pirq (no emulated PIRQs),
	 * pci_device_add (not the hardware domain), set_iopl (PV only). */
	static const unsigned ops[] = { 13, 12, 5, 23, 25, 6, 0xffffffff };

	for (unsigned i = 0; i < G_N_ELEMENTS(ops); i++)
		cr_assert_eq(call(__HYPERVISOR_physdev_op, ops[i], 0x1000, 0, false), -XEN_ENOSYS);
	cr_assert_eq(call(__HYPERVISOR_physdev_op, 13, 0, 0, true), -XEN_EPERM, "user mode");
	cr_assert_str_eq(hv_hypercall_lookup(&xen_hypercall_table, 33)->name, "physdev_op");
}

Test(hypercall, xen_version)
{
	char extra[16];
	uint8_t feat[8] = { 0 };

	cr_assert_eq(call(__HYPERVISOR_xen_version, XENVER_version, 0, 0, false), (4 << 16) | 17);
	cr_assert_eq(call(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0, false), 4096);
	cr_assert_eq(call(__HYPERVISOR_xen_version, XENVER_extraversion, 0x200, 0, false), 0);
	p2m_copy_from(d->p2m, extra, 0x200, 16);
	cr_assert_str_eq(extra, ".0-softvisor");
	p2m_copy_to(d->p2m, 0x300, feat, 8);
	cr_assert_eq(call(__HYPERVISOR_xen_version, XENVER_get_features, 0x300, 0, false), 0);
	p2m_copy_from(d->p2m, feat, 0x300, 8);
	/* writable_page_tables, auto_translated_physmap, hvm_callback_vector,
	 * hvm_safe_pvclock */
	cr_assert_eq(ld32_le_p(feat + 4), 0x305);
	st32_le_p(feat, 1);
	p2m_copy_to(d->p2m, 0x300, feat, 8);
	cr_assert_eq(call(__HYPERVISOR_xen_version, XENVER_get_features, 0x300, 0, false), 0);
	p2m_copy_from(d->p2m, feat, 0x300, 8);
	cr_assert_eq(ld32_le_p(feat + 4), 0, "submap 1: nothing");
	cr_assert_eq(call(__HYPERVISOR_xen_version, XENVER_extraversion, 0x7ffffff0, 0, false),
		     -XEN_EFAULT, "bad pointer");
	cr_assert_eq(call(__HYPERVISOR_xen_version, 1234, 0, 0, false), -XEN_ENOSYS);
}

Test(hypercall, console_io_write_and_bad_pointers)
{
	p2m_copy_to(d->p2m, 0x100, "hello\nworld", 11);
	cr_assert_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write, 11, 0x100, false), 0);
	cr_assert_str_eq(console->str, "hello\n", "complete lines go out at once");
	hv_console_flush(d);
	cr_assert_str_eq(console->str, "hello\nworld", "the rest at a flush");
	cr_assert_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write, 16, 0xffff8, false),
		     -XEN_EFAULT, "runs off the end of RAM");
	cr_assert_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write, 0xffffffff, 0x100, false),
		     -XEN_E2BIG);
	cr_assert_eq(call(__HYPERVISOR_console_io, 9, 0, 0, false), -XEN_ENOSYS);
}

static void put_reason(uint64_t gpa, uint32_t reason, bool be)
{
	uint8_t b[4];
	if (be)
		st32_be_p(b, reason);
	else
		st32_le_p(b, reason);
	p2m_copy_to(d->p2m, gpa, b, 4);
}

Test(hypercall, sched_op_shutdown_reasons)
{
	put_reason(0x400, 77, false);
	cr_assert_eq(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x400, 0, false), -XEN_EINVAL);
	cr_assert_not(d->shut_down);
	cr_assert_eq(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x7ffffffe, 0, false),
		     -XEN_EFAULT);
	cr_assert_eq(call(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, false), 0);
	put_reason(0x400, HV_SHUTDOWN_CRASH, false);
	cr_assert_eq(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x400, 0, false), 0);
	cr_assert(d->shut_down);
	cr_assert_eq(d->shutdown_reason, HV_SHUTDOWN_CRASH);
	put_reason(0x400, HV_SHUTDOWN_POWEROFF, false);
	call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x400, 0, false);
	cr_assert_eq(d->shutdown_reason, HV_SHUTDOWN_CRASH, "the first reason wins");
}

Test(hypercall, guest_structures_in_guest_byte_order)
{
	t_be = true;
	put_reason(0x400, HV_SHUTDOWN_REBOOT, true);
	cr_assert_eq(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x400, 0, false), 0);
	cr_assert_eq(d->shutdown_reason, HV_SHUTDOWN_REBOOT);
}

Test(hypercall, trace_lines)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	hv.trace.mask = TRACE_HYPERCALLS;
	hv.trace.out = f;
	call(__HYPERVISOR_xen_version, XENVER_version, 0, 0, false);
	call(55, 1, 2, 3, false);
	call(__HYPERVISOR_xen_version, 99, 0, 0, false);
	fclose(f);
	cr_assert(strstr(buf, "d1v0 HYPERCALL 17 xen_version:version(0x0, 0x0) = 262161\n") != NULL,
		  "%s", buf);
	cr_assert(strstr(buf, "HYPERCALL 17 xen_version(0x63, 0x0) = -38\n") != NULL,
		  "an unnamed sub-op keeps the plain name: %s", buf);
	cr_assert(strstr(buf, "HYPERCALL 55 unknown(0x1, 0x2, 0x3, 0x0, 0x0, 0x0) = -38\n") != NULL,
		  "%s", buf);
	free(buf);
}

/* Sub-operations are counted under their hypercall, by number. */
static uint64_t subop_count(unsigned nr, unsigned op)
{
	return GPOINTER_TO_SIZE(g_hash_table_lookup(
		d->stats.hypercall_subops, GSIZE_TO_POINTER((gsize)nr * HV_STATS_SUBOPS + op)));
}

Test(hypercall, vm_assist_only_the_runstate_update_flag)
{
	cr_assert_eq(call(__HYPERVISOR_vm_assist, 0, 5, 0, false), 0,
		     "enable runstate_update_flag");
	cr_assert_eq(d->vm_assist, 1u << 5);
	cr_assert_eq(call(__HYPERVISOR_vm_assist, 0, 1, 0, false), -XEN_EINVAL,
		     "4gb_segments is PV-only");
	cr_assert_eq(call(__HYPERVISOR_vm_assist, 0, 64, 0, false), -XEN_EINVAL);
	cr_assert_eq(call(__HYPERVISOR_vm_assist, 0, UINT64_MAX, 0, false), -XEN_EINVAL);
	cr_assert_eq(call(__HYPERVISOR_vm_assist, 2, 5, 0, false), -XEN_ENOSYS, "no such command");
	cr_assert_eq(call(__HYPERVISOR_vm_assist, 1, 5, 0, false), 0, "disable");
	cr_assert_eq(d->vm_assist, 0);
	cr_assert_eq(call(__HYPERVISOR_vm_assist, 0, 5, 0, true), -XEN_EPERM, "user mode");
	cr_assert_eq(subop_count(__HYPERVISOR_vm_assist, 0), 5);
	cr_assert_eq(subop_count(__HYPERVISOR_vm_assist, 1), 1);
}

Test(hypercall, stats_per_subop)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	call(__HYPERVISOR_xen_version, XENVER_version, 0, 0, false);
	call(__HYPERVISOR_xen_version, XENVER_version, 0, 0, false);
	call(__HYPERVISOR_xen_version, 99, 0, 0, false);
	cr_assert_eq(subop_count(__HYPERVISOR_xen_version, XENVER_version), 2);
	cr_assert_eq(g_hash_table_size(d->stats.hypercall_subops), 1,
		     "99 has no name: not counted");
	f = open_memstream(&buf, &len);
	hv_stats_print(d, f);
	fclose(f);
	cr_assert(strstr(buf, "    17     xen_version                         3\n"
			      "             version                           2\n") != NULL,
		  "%s", buf);
	free(buf);
}

Test(hypercall, trace_categories_parse)
{
	unsigned mask;
	char *bad;

	cr_assert_eq(trace_parse("exits,hypercalls", &mask, &bad), 0);
	cr_assert_eq(mask, TRACE_EXITS | TRACE_HYPERCALLS);
	cr_assert_eq(trace_parse("exits,bogus", &mask, &bad), -1);
	cr_assert_str_eq(bad, "bogus");
	g_free(bad);
}
