/*
 * The built-in demo guests, embedded in the binary (frontend/demo/demo_*.S,
 * assembled into demo_images.c by `make regen-demo`).
 */
#ifndef SV_FRONTEND_DEMO_H
#define SV_FRONTEND_DEMO_H

extern const unsigned char sv_demo_x86_elf[];
extern const unsigned long sv_demo_x86_elf_len;
extern const unsigned char sv_demo_ppc_le_elf[];
extern const unsigned long sv_demo_ppc_le_elf_len;

#endif
