/*
 * Upcall delivery through the real arch shims: x86 injects the callback
 * vector through the software VMCS or asks for an interrupt-window exit, the
 * per-vcpu vector through the local APIC (hv/x86/intr.c); POWER raises the
 * external interrupt line (hv/ppc/vcpu.c).
 */
#include <criterion/criterion.h>

#include "cpu/ppc/cpu_ppc.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"
#include "hv/evtchn.h"
#include "hv/ppc/ppc.h"
#include "hv/shared_info.h"
#include "hv/x86/x86.h"
#include "hv_test.h"

static struct hv hv;

static void setup(void)
{
	cr_assert_eq(hv_init(&hv, 8 << 20), 0);
}

static void teardown(void)
{
	hv_destroy(&hv);
}

TestSuite(upcall, .init = setup, .fini = teardown);

static struct vcpu *x86_vcpu(void)
{
	int err;
	struct domain *d = hv_domain_create(&hv, HV_ARCH_X86_64, HV_PERSONALITY_XEN, 1 << 20, &err);

	cr_assert_not_null(d);
	struct vcpu *v = hv_x86_vcpu_create(d);
	cr_assert_not_null(v);
	/* The guest enables its APIC (SVR bit 8), as Linux does. */
	lapic_mmio_write(hv_x86_lapic(v), LAPIC_REG_SVR, 4, LAPIC_SVR_ENABLE | 0xff);
	return v;
}

static bool window_exiting(struct cpu_x86 *c)
{
	return cpu_x86_vmcs_read(c, CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_INTR_WINDOW_EXITING;
}

Test(upcall, x86_callback_vector_injection)
{
	struct vcpu *v = x86_vcpu();
	struct cpu_x86 *c = hv_x86_cpu(v);

	v->d->hvm_params[HVM_PARAM_CALLBACK_IRQ] = (2ull << 56) | 0xf3;
	cpu_x86_vmcs_write(c, GUEST_RFLAGS, X86_FLAG_FIXED1); /* IF = 0 */
	hv_vcpu_mark_events_pending(v);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID, 0);
	cr_assert(window_exiting(c), "IF = 0: wait for the window");
	cr_assert_not(hv_x86_halt_wakeable(v));
	cpu_x86_vmcs_write(c, GUEST_RFLAGS, X86_FLAG_FIXED1 | X86_FLAG_IF);
	cr_assert(hv_x86_halt_wakeable(v));
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), INTR_INFO_VALID | 0xf3,
		     "valid, type 0 (external interrupt), the vector");
	cr_assert_not(window_exiting(c));
	/* Level: while evtchn_upcall_pending stays set it is raised again. */
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD, 0);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), INTR_INFO_VALID | 0xf3);
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD, 0);
	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_PENDING] = 0;
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), 0, "acknowledged");
}

Test(upcall, x86_per_vcpu_vector_is_edge)
{
	struct vcpu *v = x86_vcpu();
	struct cpu_x86 *c = hv_x86_cpu(v);

	cpu_x86_vmcs_write(c, GUEST_RFLAGS, X86_FLAG_FIXED1 | X86_FLAG_IF);
	hv_vcpu_mark_events_pending(v);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), 0, "no vector set: nothing");
	v->upcall_vector = 0xe0;
	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_PENDING] = 0;
	hv_vcpu_mark_events_pending(v);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), INTR_INFO_VALID | 0xe0);
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD, 0);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), 0,
		     "edge: once per 0 -> 1 of evtchn_upcall_pending");
	/* It went through the APIC: in service until the guest's EOI. */
	struct lapic *l = hv_x86_lapic(v);
	cr_assert_eq(l->isr[0xe0 / 32], 1u << (0xe0 % 32));
	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_PENDING] = 0;
	hv_vcpu_mark_events_pending(v);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), 0,
		     "the same vector waits for the EOI");
	lapic_mmio_write(l, LAPIC_REG_EOI, 4, 0);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), INTR_INFO_VALID | 0xe0);
}

Test(upcall, x86_another_event_queued_waits)
{
	struct vcpu *v = x86_vcpu();
	struct cpu_x86 *c = hv_x86_cpu(v);

	v->upcall_vector = 0xe0;
	cpu_x86_vmcs_write(c, GUEST_RFLAGS, X86_FLAG_FIXED1 | X86_FLAG_IF);
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | (3 << 8) | 14);
	hv_vcpu_mark_events_pending(v);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD),
		     INTR_INFO_VALID | (3 << 8) | 14, "the queued exception is kept");
	cr_assert(window_exiting(c));
	cr_assert_eq(lapic_pending_vector(hv_x86_lapic(v)), 0xe0, "waiting in the APIC's IRR");
}

Test(upcall, x86_apic_interrupt_waits_for_if_and_priority)
{
	struct vcpu *v = x86_vcpu();
	struct cpu_x86 *c = hv_x86_cpu(v);
	struct lapic *l = hv_x86_lapic(v);

	cpu_x86_vmcs_write(c, GUEST_RFLAGS, X86_FLAG_FIXED1);
	lapic_accept(l, LAPIC_DM_FIXED, 0x61, false);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), 0);
	cr_assert(window_exiting(c), "IF = 0: wait for the window");
	cr_assert_not(hv_x86_wake_ready(v) && v->block == HV_BLOCK_HALT);
	cpu_x86_vmcs_write(c, GUEST_RFLAGS, X86_FLAG_FIXED1 | X86_FLAG_IF);
	lapic_set_cr8(l, 6);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), 0, "TPR class 6 blocks 0x61");
	cr_assert_not(window_exiting(c));
	lapic_set_cr8(l, 0);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD), INTR_INFO_VALID | 0x61);
	cr_assert_eq(l->isr[0x61 / 32], 1u << (0x61 % 32), "acknowledged");
	/* An NMI goes in whatever IF says. */
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD, 0);
	cpu_x86_vmcs_write(c, GUEST_RFLAGS, X86_FLAG_FIXED1);
	lapic_accept(l, LAPIC_DM_NMI, 0, false);
	hv_x86_intr_update(v);
	cr_assert_eq(cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD),
		     INTR_INFO_VALID | (X86_EVENT_NMI << 8) | 2);
}

Test(upcall, ppc_external_interrupt_line)
{
	int err;
	struct domain *d = hv_domain_create(&hv, HV_ARCH_PPC64, HV_PERSONALITY_XEN, 1 << 20, &err);
	struct vcpu *v = hv_ppc_vcpu_create(d, false);
	struct cpu_ppc *c = hv_ppc_cpu(v);

	cr_assert(d->big_endian, "a big-endian guest's shared structures are big-endian");
	cr_assert_eq(ld32_be_p(hv_shared_info(d) + XEN_SHARED_INFO_WC_SEC), 1704067200u);
	v->arch->upcall_update(v);
	cr_assert_not(c->ext_irq);
	hv_vcpu_mark_events_pending(v);
	v->arch->upcall_update(v);
	cr_assert(c->ext_irq, "raised while pending and unmasked");
	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_MASK] = 1;
	v->arch->upcall_update(v);
	cr_assert_not(c->ext_irq, "masked");
	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_MASK] = 0;
	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_PENDING] = 0;
	v->arch->upcall_update(v);
	cr_assert_not(c->ext_irq, "acknowledged");
}
