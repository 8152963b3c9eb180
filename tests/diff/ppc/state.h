/*
 * The machine state the POWER differential test compares, as little-endian
 * doublewords (gen.c writes the initial values and the qemu program dumps
 * the final ones in this layout; svrun.c reads both):
 *   0..31 r0..r31, 32 CR, 33 XER, 34 FPSCR, 35 VSCR (word 3 of mfvscr),
 *   36 + 2n + d: doubleword d of VSR n (FPR n = VSR n doubleword 0,
 *   VR n = VSR 32 + n),
 *   164..227: the data buffer at S_MEM_ADDR the load/store cases use
 *   (512 bytes, as doublewords in the program's byte order).
 */
#ifndef SV_TESTS_DIFF_PPC_STATE_H
#define SV_TESTS_DIFF_PPC_STATE_H

#define S_CR 32
#define S_XER 33
#define S_FPSCR 34
#define S_VSCR 35
#define S_VSR 36
#define S_FPR(n) (S_VSR + 2 * (n))
#define S_MEM (S_VSR + 128)
#define S_MEM_DWORDS 64
#define S_MEM_ADDR 0x20000000u /* the qemu program's .svmem section */
#define NSTATE (S_MEM + S_MEM_DWORDS)

#endif
