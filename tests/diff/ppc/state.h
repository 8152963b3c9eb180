/*
 * The machine state the POWER differential test compares, as little-endian
 * doublewords (gen.c writes the initial values and the qemu program dumps
 * the final ones in this layout; svrun.c reads both):
 *   0..31 r0..r31, 32 CR, 33 XER, 34 FPSCR, 35 VSCR (word 3 of mfvscr),
 *   36 + 2n + d: doubleword d of VSR n (FPR n = VSR n doubleword 0,
 *   VR n = VSR 32 + n).
 */
#ifndef SV_TESTS_DIFF_PPC_STATE_H
#define SV_TESTS_DIFF_PPC_STATE_H

#define S_CR 32
#define S_XER 33
#define S_FPSCR 34
#define S_VSCR 35
#define S_VSR 36
#define S_FPR(n) (S_VSR + 2 * (n))
#define NSTATE (S_VSR + 128)

#endif
